"""The style collection: short documents in the genres a secretariat receives, with gold.

Each `tests/data/styles/NAME.txt|md` has its annotation beside it as `NAME.gold.json`
(spec v1.1). The gold is checked for validity here, and the extractor is scored against it
with the shared scorer (`../shared/tools/score.py`, loaded as a module, not copied).
"""

from __future__ import annotations

import calendar
import importlib.util
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from directive_nlp.extraction.pipeline import extract_file

STYLES = Path(__file__).parent / "data" / "styles"
GAP = STYLES / "gap"
GENRE_DOCS = sorted(p for p in STYLES.iterdir() if p.suffix in {".txt", ".md"})
# the gap-check pair (an upstream province plan and a commune plan implementing it) are scored too
DOCS = GENRE_DOCS + sorted(p for p in GAP.iterdir() if p.suffix in {".txt", ".md"})
GAP_GOLDS = sorted(GAP.glob("*_vs_*.gold.json"))
STATUSES = {"covered", "partial", "distorted", "missing"}
ISSUES = {"deadline_relaxed", "deadline_dropped", "target_weakened", "scope_narrowed", "lead_changed"}

DOC_TYPES = {
    "NQ",
    "QĐ",
    "CT",
    "KL",
    "QC",
    "QyĐ",
    "TB",
    "HD",
    "KH",
    "CTr",
    "ĐA",
    "BC",
    "TTr",
    "CV",
    "CĐ",
    "NĐ",
    "TT",
    "L",
}
KINDS_WITH_DUE = {"by_date", "in_month", "in_quarter", "in_year", "range"}
KINDS_WITHOUT_DUE = {"recurring", "ongoing", "immediate", "none"}
TASK_KEYS = {"id", "text", "section", "lead", "support", "deadline", "targets", "cites"}
DOCUMENT_KEYS = {"symbol", "doc_type", "title", "issuer", "issued_date", "signer", "implements"}


def _gold_path(doc: Path) -> Path:
    return doc.with_name(doc.stem + ".gold.json")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _iso(value: str) -> date:
    return date.fromisoformat(value)


@pytest.fixture(scope="module")
def scorer(shared) -> ModuleType:
    spec = importlib.util.spec_from_file_location("directive_score", shared / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_collection_covers_the_genres():
    assert len(GENRE_DOCS) >= 10
    for doc in DOCS:
        assert _gold_path(doc).exists(), f"{doc.name} has no gold"
        n_lines = len(doc.read_text(encoding="utf-8").splitlines())
        assert 40 <= n_lines <= 150, f"{doc.name}: {n_lines} lines"
    types = {
        json.loads(_gold_path(d).read_text(encoding="utf-8"))["document"]["doc_type"] for d in GENRE_DOCS
    }
    assert {"NQ", "QĐ", "KH", "CV", "TB"} <= types


def _check_deadline(where: str, dl: dict) -> None:
    assert set(dl) == {"kind", "due", "start", "text"}, where
    kind, due, start = dl["kind"], dl["due"], dl["start"]
    assert kind in KINDS_WITH_DUE | KINDS_WITHOUT_DUE, f"{where}: kind {kind}"
    if kind in KINDS_WITHOUT_DUE:
        assert due is None, f"{where}: {kind} has a due date"
        if kind == "none":
            assert start is None and dl["text"] is None, f"{where}: none with words"
        if kind != "range" and start is not None:
            assert kind in {"ongoing", "immediate"}, f"{where}: start on {kind}"
        return
    d = _iso(due)
    last = calendar.monthrange(d.year, d.month)[1]
    if kind == "in_month":
        assert d.day == last, f"{where}: in_month due is not the month's last day"
    elif kind == "in_quarter":
        assert d.month % 3 == 0 and d.day == last, f"{where}: in_quarter due is not a quarter end"
    elif kind == "in_year":
        assert (d.month, d.day) == (12, 31), f"{where}: in_year due is not 31 December"
    if kind == "range":
        assert start is not None and _iso(start) < d, f"{where}: range without a start before its end"
    else:
        assert start is None, f"{where}: start on {kind}"
    if dl["text"] is None:
        # only an inherited end (phase heading, introducing sentence) has no words of its own
        assert kind == "by_date", f"{where}: {kind} without its words"


@pytest.mark.parametrize("doc", DOCS, ids=[d.stem for d in DOCS])
def test_gold_is_valid(doc: Path):
    gold = json.loads(_gold_path(doc).read_text(encoding="utf-8"))
    assert gold["schema"] == "directive-nlp/extraction/v1"
    assert {"source", "document", "citations", "tasks"} <= set(gold)
    meta = gold["document"]
    assert set(meta) >= DOCUMENT_KEYS
    assert meta["doc_type"] in DOC_TYPES
    assert meta["symbol"] and " " not in meta["symbol"]
    _iso(meta["issued_date"])
    cited = [c["symbol"] for c in gold["citations"]]
    assert len(cited) == len(set(cited)), "a cited document is listed twice"
    assert meta["symbol"] not in cited, "the document cites itself"
    assert set(meta["implements"]) <= set(cited), "an implemented document is not among the citations"
    for c in gold["citations"]:
        assert {"symbol", "doc_type", "date", "mentions"} <= set(c)
        if c["date"]:
            _iso(c["date"])
    text = _collapse(doc.read_text(encoding="utf-8"))
    ids = [t["id"] for t in gold["tasks"]]
    assert len(ids) == len(set(ids)), "task ids are not unique"
    assert any(not t.get("optional") for t in gold["tasks"])
    for t in gold["tasks"]:
        where = f"{doc.name} {t['id']}"
        assert set(t) >= TASK_KEYS, where
        assert t["lead"], f"{where}: every task has a lead, stated or implied"
        assert all(u.strip() for u in t["lead"] + t["support"]), where
        assert _collapse(t["text"]) in text, f"{where}: text is not the document's words"
        if t["deadline"]["text"]:
            assert _collapse(t["deadline"]["text"]) in text, f"{where}: deadline words not in the document"
        _check_deadline(where, t["deadline"])
        assert isinstance(t.get("optional", False), bool), where


@pytest.fixture(scope="module")
def scores(scorer) -> dict[str, dict]:
    out = {}
    for doc in DOCS:
        gold = json.loads(_gold_path(doc).read_text(encoding="utf-8"))
        pred = json.loads(json.dumps(extract_file(doc).to_dict(), ensure_ascii=False))
        out[doc.stem] = scorer.score_extract(gold, pred)
    return out


@pytest.mark.parametrize("doc", DOCS, ids=[d.stem for d in DOCS])
def test_document_fields(scores, doc: Path):
    """The header of every style document states its symbol, type and date; all must come out."""
    doc_scores = scores[doc.stem]["document"]
    assert doc_scores["symbol"] and doc_scores["doc_type"] and doc_scores["issued_date"], doc_scores


def test_collection_meets_the_issue_targets(scorer, scores):
    overall = scorer.aggregate(scores)
    assert overall["tasks"]["f1"] >= 0.95, overall
    assert overall["lead_accuracy"] >= 0.95, overall
    assert overall["deadline_accuracy"] >= 0.95, overall


def _gap_pair(gold_path: Path) -> tuple[dict, dict, dict]:
    gap = json.loads(gold_path.read_text(encoding="utf-8"))
    local_name, upstream_name = gold_path.name.removesuffix(".gold.json").split("_vs_")
    local = json.loads((GAP / f"{local_name}.gold.json").read_text(encoding="utf-8"))
    upstream = json.loads((GAP / f"{upstream_name}.gold.json").read_text(encoding="utf-8"))
    return gap, local, upstream


@pytest.mark.parametrize("gold_path", GAP_GOLDS, ids=[g.stem for g in GAP_GOLDS])
def test_gap_gold_is_valid(gold_path: Path):
    gap, local, upstream = _gap_pair(gold_path)
    assert gap["schema"] == "directive-nlp/gapcheck/v1"
    assert gap["upstream"] == upstream["document"]["symbol"]
    assert upstream["document"]["symbol"] in local["document"]["implements"]
    up_text = {t["id"]: t["text"] for t in upstream["tasks"]}
    local_ids = {t["id"] for t in local["tasks"]}
    assert [i["upstream_task"] for i in gap["items"]] == list(up_text), "one item per upstream task, in order"
    used: set[str] = set()
    for it in gap["items"]:
        where = it["upstream_task"]
        assert it["upstream_text"] == up_text[where], where
        assert it["applies_reason"], where
        assert set(it["issues"]) <= ISSUES, where
        assert set(it["local_tasks"]) <= local_ids, where
        used |= set(it["local_tasks"])
        if not it["applies"]:
            assert it["status"] is None and not it["local_tasks"] and not it["issues"], where
            continue
        assert it["status"] in STATUSES, where
        if it["status"] == "missing":
            assert not it["local_tasks"] and not it["issues"], where
        if it["status"] in {"distorted", "partial"}:
            assert it["issues"] and it["local_tasks"], where
        if it["status"] == "covered":
            assert not it["issues"], where
    assert set(gap["unmatched_local"]) <= local_ids - used
    flags = {it["status"] for it in gap["items"] if it["applies"]}
    assert {"missing", "distorted", "covered"} <= flags, "the pair exercises every outcome"


@pytest.mark.xfail(
    strict=False,
    reason="gap check on the style pair: missing flags not yet found (plan-itself and loose matches); "
    "the integrator removes this mark once it meets the thresholds used for the development pair",
)
@pytest.mark.parametrize("gold_path", GAP_GOLDS, ids=[g.stem for g in GAP_GOLDS])
def test_gap_check_on_gold_extractions(scorer, gold_path: Path):
    from directive_nlp.linking import gapcheck

    gap, local, upstream = _gap_pair(gold_path)
    figures = scorer.score_gapcheck(gap, gapcheck.check(local, upstream))
    assert figures["missing"]["f1"] >= 0.8, figures
    assert figures["distorted"]["f1"] >= 0.6, figures
