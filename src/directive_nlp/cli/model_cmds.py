"""Commands for the unit matcher artefact: ``build-model`` and ``model-status``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .app import app, fail


@app.command("build-model")
def build_model_cmd(
    if_missing: bool = typer.Option(
        False,
        "--if-missing",
        help="Only build when the model is missing or stale (built from other gazetteer data).",
    ),
    output: Path = typer.Option(
        None, "--output", "-o", help="Directory to write the spaCy pipeline to (default: models/units)."
    ),
) -> None:
    """Build the spaCy unit matcher (models/units) from the gazetteers. Nothing is downloaded."""
    from ..units import GazetteerError, build_model, model_status

    try:
        if if_missing:
            st = model_status(output)
            if st["built"] and not st["stale"]:
                typer.echo(
                    f"unit model up to date: {st['path']} ({st['patterns']} patterns, built {st['built_at']})"
                )
                return
        st = build_model(output)
    except GazetteerError as e:
        fail(str(e))
    size_kb = (st.get("size_bytes") or 0) / 1024
    typer.echo(
        f"built unit model: {st['path']} ({st['patterns']} patterns, {size_kb:.0f} KB, "
        f"gazetteer {st['gazetteer_sha256'][:12]})"
    )


@app.command("model-status")
def model_status_cmd(
    output: Path = typer.Option(None, "--path", help="Model directory (default: models/units)."),
) -> None:
    """Print whether the unit model is built and current, as JSON."""
    from ..units import GazetteerError, model_status

    try:
        st = model_status(output)
    except GazetteerError as e:
        fail(str(e))
    typer.echo(json.dumps(st, ensure_ascii=False, indent=1))
