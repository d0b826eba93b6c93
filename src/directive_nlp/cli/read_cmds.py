"""Commands of the reading stage: ``text`` and ``doctor``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import DirectiveError
from ..i18n import msg
from .app import app, check_choice, choose_lang, console, fail_error, fail_key, ocr_progress

TEXT_FORMATS = ("text", "json")


@app.command("text", help=msg("help.cmd.text"))
def text_cmd(
    file: Path = typer.Argument(..., help=msg("help.arg.file")),
    format: str = typer.Option("text", "--format", "-f", help=msg("help.opt.format_text")),
    no_ocr: bool = typer.Option(False, "--no-ocr", help=msg("help.opt.no_ocr")),
) -> None:
    from ..reading import read

    check_choice(format, TEXT_FORMATS)
    try:
        with ocr_progress() as progress:
            doc = read(file, ocr=not no_ocr, progress=progress)
    except DirectiveError as e:
        fail_error(e)
    if format == "json":
        out = {
            "path": doc.path,
            "format": doc.format,
            "sha256": doc.sha256,
            "pages": doc.pages,
            "ocr": doc.ocr,
            "warnings": doc.warnings,
            "blocks": [b.to_dict() for b in doc.blocks],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for b in doc.blocks:
            typer.echo(b.text)


# ---------------------------------------------------------------------------------------
# doctor
# ---------------------------------------------------------------------------------------


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def unit_model_check() -> dict:
    """Status of the built unit model (``units.model_status()``)."""
    from ..units import GazetteerError, model_status

    try:
        status = model_status()
    except GazetteerError as e:
        return {"status": "missing", "detail": str(e), "fix": None}
    ok = status.get("built") and not status.get("stale")
    return {
        "status": "ok" if ok else "missing",
        "detail": str(status.get("path") or ""),
        "fix": None if ok else "directive-nlp build-model",
        "raw": status,
    }


def data_check() -> dict:
    """Whether the gazetteer data files are where the package looks for them."""
    from ..resources import REQUIRED_DATA, data_dir

    d = data_dir()
    missing = [n for n in REQUIRED_DATA if not (d / n).is_file()]
    return {
        "status": "missing" if missing else "ok",
        "detail": f"{d}" + (f" ({', '.join(missing)})" if missing else ""),
        "fix": None if not missing else "pip install --force-reinstall directive-nlp",
        "missing": missing,
        "path": str(d),
    }


def doctor_report() -> dict:
    """Every capability with its status, detail and the command that adds it when missing."""
    from ..reading.ocr import ocr_status

    ocr = ocr_status()
    rows: list[dict] = []
    data = data_check()
    rows.append(
        {"capability": "data", "status": data["status"], "detail": data["detail"], "fix": data["fix"]}
    )

    def add(key: str, ok: bool | None, detail: str, fix: str | None) -> None:
        state = "unknown" if ok is None else ("ok" if ok else "missing")
        rows.append(
            {"capability": key, "status": state, "detail": detail, "fix": None if state == "ok" else fix}
        )

    add(
        "tesseract",
        ocr["tesseract"],
        f"{ocr['path'] or ''} {ocr['version'] or ''}".strip(),
        "apt-get install tesseract-ocr tesseract-ocr-vie",
    )
    add("vie", ocr["vie"], ", ".join(ocr["languages"]), "apt-get install tesseract-ocr-vie")
    add("pytesseract", ocr["pytesseract"], _package_version("pytesseract") or "", "pip install pytesseract")
    um = unit_model_check()
    rows.append(
        {"capability": "unit_model", "status": um["status"], "detail": um["detail"], "fix": um["fix"]}
    )
    for pkg in ("pdfplumber", "pypdfium2", "python-docx"):
        v = _package_version(pkg)
        add(pkg, v is not None, v or "", f"pip install {pkg}")
    return {
        "schema": "directive-nlp/doctor/v1",
        "ocr": ocr,
        "unit_model": um,
        "data": data,
        "checks": rows,
        "missing": [
            {"capability": r["capability"], "fix": r["fix"]} for r in rows if r["status"] == "missing"
        ],
    }


@app.command("doctor", help=msg("help.cmd.doctor"))
def doctor_cmd(
    lang: str | None = typer.Option(None, "--lang", help=msg("help.opt.lang"), show_default=False),
    format: str = typer.Option("table", "--format", "-f", help=msg("help.opt.format_table_json")),
) -> None:
    choose_lang(lang)
    check_choice(format, ("table", "json"))
    report = doctor_report()
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    else:
        from rich.table import Table

        table = Table(title=msg("doctor.title"))
        for col in ("capability", "status", "detail", "fix"):
            table.add_column(msg(f"doctor.{col}"), overflow="fold")
        style = {"ok": "green", "missing": "red", "unknown": "yellow"}
        for r in report["checks"]:
            table.add_row(
                msg(f"doctor.{r['capability']}"),
                f"[{style[r['status']]}]{msg('doctor.' + r['status'])}[/]",
                r["detail"] or "",
                r["fix"] or "",
            )
        console.print(table)
        if not report["missing"]:
            console.print(msg("doctor.all_ok"))
    if report["data"]["status"] != "ok":  # without its data the tool cannot extract anything
        fail_key("err.data_missing", path=report["data"]["path"], files=", ".join(report["data"]["missing"]))
