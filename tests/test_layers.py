"""The package's stages import only downwards: no stage imports one that comes after it.

The order is the pipeline's: bottom modules (words a person reads, errors, data paths, the typed
model), text normalisation, unit knowledge, reading, outline, extraction, linking, follow-up
logic, storage, the library functions over the store, reports, the library's face, the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "directive_nlp"

ORDER = [
    "i18n",
    "errors",
    "resources",
    "model",
    "normalise",
    "units",
    "reading",
    "outline",
    "extraction",
    "linking",
    "followup",
    "storage",
    "tracking",
    "ingest",
    "batch",
    "reports",
    "api",
    "cli",
    "__main__",
    "__init__",
]
RANK = {name: i for i, name in enumerate(ORDER)}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, stage) of every package-relative import in ``path``."""
    here = list(path.relative_to(SRC).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            target = base + (node.module.split(".") if node.module else [])
            stage = target[0] if target else node.names[0].name
            found.append((node.lineno, stage))
    return found


def test_every_module_is_in_a_known_stage():
    stages = {p.relative_to(SRC).with_suffix("").parts[0] for p in SRC.rglob("*.py")}
    assert stages <= set(ORDER), stages - set(ORDER)


def test_no_stage_imports_a_later_one():
    upward = []
    for path in SRC.rglob("*.py"):
        stage = path.relative_to(SRC).with_suffix("").parts[0]
        for line, target in _imports(path):
            if target in RANK and RANK[target] > RANK[stage]:
                upward.append(f"{path.relative_to(SRC)}:{line} {stage} -> {target}")
    assert not upward, upward


def test_the_scan_sees_imports():
    # the check above proves nothing unless it reads real imports
    seen = {t for p in SRC.rglob("*.py") for _, t in _imports(p)}
    assert {"model", "normalise", "extraction", "storage"} <= seen
