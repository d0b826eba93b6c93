"""Word 97-2003 (.doc) reader: converted to .docx by LibreOffice, then read as DOCX.

LibreOffice (``soffice``) runs headless with its own throw-away profile, into a temporary
folder, under a time limit (``DIRECTIVE_NLP_SOFFICE_TIMEOUT`` seconds, default 120). Without
LibreOffice the file is refused with one line saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..model import ReadDocument
from . import sha256_of
from .docx import read_docx

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _timeout() -> float:
    value = os.environ.get("DIRECTIVE_NLP_SOFFICE_TIMEOUT", "").strip()
    return float(value) if value.replace(".", "", 1).isdigit() and float(value) > 0 else 120.0


def convert_to_docx(path: Path, data: bytes) -> bytes:
    """The .docx bytes LibreOffice makes of ``data`` (the content of ``path``)."""
    exe = soffice()
    if exe is None:
        raise InputError(str(path), "err.doc_needs_libreoffice")
    if not data.startswith(_OLE2):
        raise InputError(str(path), "err.doc_not_word")
    with tempfile.TemporaryDirectory(prefix="directive-nlp-doc-") as tmp:
        work = Path(tmp)
        src = work / "input.doc"
        src.write_bytes(data)
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            "docx",
            "--outdir",
            str(work / "out"),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=_timeout(), check=False)
        except subprocess.TimeoutExpired:
            raise InputError(str(path), "err.doc_convert_timeout", seconds=int(_timeout())) from None
        except OSError as e:
            raise InputError(
                str(path), "err.doc_convert_failed", detail=e.strerror or type(e).__name__
            ) from None
        out = work / "out" / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise InputError(str(path), "err.doc_convert_failed", detail="LibreOffice")
        return out.read_bytes()


def read_doc(path: Path, data: bytes) -> ReadDocument:
    doc = read_docx(path, convert_to_docx(path, data))
    doc.format = "doc"
    doc.sha256 = sha256_of(data)
    doc.warnings.append("converted from .doc by LibreOffice")
    return doc
