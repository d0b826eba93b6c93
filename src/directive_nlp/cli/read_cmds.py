"""Commands of the reading stage: ``text`` and ``doctor``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import DirectiveError
from .app import app, fail


@app.command("text")
def text_cmd(
    file: Path = typer.Argument(..., help="A PDF, DOCX, TXT or Markdown file."),
    format: str = typer.Option("text", "--format", "-f", help="text | json"),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Do not OCR scanned pages."),
) -> None:
    """Print the document's normalised text in reading order (one block per line)."""
    from ..reading import read

    try:
        doc = read(file, ocr=not no_ocr)
    except DirectiveError as e:
        fail(str(e))
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
    elif format == "text":
        for b in doc.blocks:
            typer.echo(b.text)
    else:
        fail(f"unknown format '{format}' (expected text or json)")


# ---------------------------------------------------------------------------------------
# doctor
# ---------------------------------------------------------------------------------------

_DOCTOR_LABELS = {
    "vi": {
        "title": "Kiểm tra môi trường directive-nlp",
        "capability": "Chức năng",
        "status": "Trạng thái",
        "detail": "Chi tiết",
        "fix": "Cách bổ sung",
        "ok": "có",
        "missing": "thiếu",
        "unknown": "không rõ",
        "tesseract": "OCR: chương trình Tesseract",
        "vie": "OCR: dữ liệu tiếng Việt ('vie')",
        "pytesseract": "OCR: gói pytesseract",
        "unit_model": "Mô hình đơn vị (đã dựng)",
        "pdfplumber": "Đọc PDF: pdfplumber",
        "pypdfium2": "Đọc PDF / kết xuất trang: pypdfium2",
        "python-docx": "Đọc DOCX: python-docx",
        "all_ok": "Đủ mọi chức năng.",
    },
    "en": {
        "title": "directive-nlp environment check",
        "capability": "Capability",
        "status": "Status",
        "detail": "Detail",
        "fix": "How to add it",
        "ok": "yes",
        "missing": "missing",
        "unknown": "unknown",
        "tesseract": "OCR: Tesseract binary",
        "vie": "OCR: Vietnamese data ('vie')",
        "pytesseract": "OCR: pytesseract package",
        "unit_model": "Unit model (built)",
        "pdfplumber": "PDF reading: pdfplumber",
        "pypdfium2": "PDF reading / page rendering: pypdfium2",
        "python-docx": "DOCX reading: python-docx",
        "all_ok": "Every capability is available.",
    },
}


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def unit_model_check() -> dict:
    """Status of the built unit model, asked of ``units.model_status()``."""
    from .. import units

    try:
        status = units.model_status()
    except Exception as e:  # noqa: BLE001 - a doctor must not crash on a broken check
        return {"status": "unknown", "detail": f"model_status() failed: {type(e).__name__}: {e}", "fix": None}
    if isinstance(status, dict):
        ok = status.get("exists", status.get("built", status.get("ok")))
        fix = status.get("command") or status.get("fix") or status.get("hint") or "directive-nlp build-model"
        detail = status.get("path") or status.get("detail") or ""
        state = "unknown" if ok is None else ("ok" if ok else "missing")
        return {"status": state, "detail": str(detail), "fix": fix if state != "ok" else None, "raw": status}
    if isinstance(status, bool):
        return {
            "status": "ok" if status else "missing",
            "detail": "",
            "fix": None if status else "directive-nlp build-model",
        }
    return {"status": "unknown", "detail": str(status), "fix": None}


def doctor_report() -> dict:
    """Every capability with its status, detail and the command that adds it when missing."""
    from ..reading.ocr import ocr_status

    ocr = ocr_status()
    rows: list[dict] = []

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
        "checks": rows,
        "missing": [
            {"capability": r["capability"], "fix": r["fix"]} for r in rows if r["status"] == "missing"
        ],
    }


@app.command("doctor")
def doctor_cmd(
    lang: str = typer.Option("vi", "--lang", help="vi | en"),
    format: str = typer.Option("table", "--format", "-f", help="table | json"),
) -> None:
    """Report which optional capabilities (OCR, unit model, readers) are installed."""
    if lang not in _DOCTOR_LABELS:
        fail(f"unknown language '{lang}' (expected vi or en)")
    if format not in ("table", "json"):
        fail(f"unknown format '{format}' (expected table or json)")
    report = doctor_report()
    if format == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    lab = _DOCTOR_LABELS[lang]
    table = Table(title=lab["title"])
    for col in ("capability", "status", "detail", "fix"):
        table.add_column(lab[col], overflow="fold")
    style = {"ok": "green", "missing": "red", "unknown": "yellow"}
    for r in report["checks"]:
        table.add_row(
            lab.get(r["capability"], r["capability"]),
            f"[{style[r['status']]}]{lab[r['status']]}[/]",
            r["detail"] or "",
            r["fix"] or "",
        )
    console = Console()
    console.print(table)
    if not report["missing"]:
        console.print(lab["all_ok"])
