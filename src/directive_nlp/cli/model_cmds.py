"""Commands for the unit matcher artefact: ``build-model`` and ``model-status``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..i18n import msg
from .app import app, fail

MODEL_HELP = msg("help.opt.model_dir")


@app.command("build-model", help=msg("help.cmd.build_model"))
def build_model_cmd(
    if_missing: bool = typer.Option(False, "--if-missing", help=msg("help.opt.if_missing")),
    output: Path = typer.Option(None, "--output", "-o", help=MODEL_HELP),
) -> None:
    from ..units import GazetteerError, build_model, model_status

    try:
        if if_missing:
            st = model_status(output)
            if st["built"] and not st["stale"]:
                typer.echo(
                    msg("msg.model_current", path=st["path"], patterns=st["patterns"], built=st["built_at"])
                )
                return
        st = build_model(output)
    except GazetteerError as e:
        fail(str(e))
    except ModuleNotFoundError as e:  # spaCy is the optional extra [model]
        if e.name != "spacy":
            raise
        fail(msg("err.needs_spacy"))
    size_kb = (st.get("size_bytes") or 0) / 1024
    typer.echo(
        msg(
            "msg.model_built",
            path=st["path"],
            patterns=st["patterns"],
            size=f"{size_kb:.0f}",
            sha=st["gazetteer_sha256"][:12],
        )
    )


@app.command("model-status", help=msg("help.cmd.model_status"))
def model_status_cmd(
    output: Path = typer.Option(None, "--path", help=MODEL_HELP),
) -> None:
    from ..units import GazetteerError, model_status

    try:
        st = model_status(output)
    except GazetteerError as e:
        fail(str(e))
    typer.echo(json.dumps(st, ensure_ascii=False, indent=1))
