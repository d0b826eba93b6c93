"""Score document metadata and citations on the development gold.

    .venv/bin/python scripts/score_citations.py [OUT_DIR]

Writes {"document", "citations", "tasks": []} for each gold document's corpus source into
OUT_DIR (default /tmp/directive-nlp-citations) and runs ../shared/tools/score.py on it.
Task figures in the output are meaningless here (no tasks are written).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from directive_nlp.extraction.citations import analyse_citations
from directive_nlp.extraction.metadata import extract_metadata
from directive_nlp.reading import read

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/directive-nlp-citations")
    out.mkdir(parents=True, exist_ok=True)
    for gold in sorted((SHARED / "gold").glob("*.json")):
        src = next((p for p in (SHARED / "corpus").glob(gold.stem + ".*")), None)
        if src is None:
            continue
        doc = read(src)
        meta = extract_metadata(doc)
        cites = analyse_citations(doc, own_symbol=meta.symbol or "")
        pred = {"document": meta.to_dict(), "citations": [c.to_dict() for c in cites.citations], "tasks": []}
        (out / gold.name).write_text(json.dumps(pred, ensure_ascii=False, indent=1))
    res = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score.py"),
            "extract",
            "--json",
            str(SHARED / "gold"),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(res.stdout[: res.stdout.rstrip().rfind("\n")])
    for name, r in data["documents"].items():
        c, n = r["citations"], r["named_citations"]
        print(
            f"{name}: citations F1 {c['f1']:.3f} (P {c['precision']:.3f} R {c['recall']:.3f}) "
            f"named F1 {n['f1']:.3f} | doc {r['document']}"
        )
        if r["citations_missed"] or r["citations_spurious"]:
            print(f"   missed {r['citations_missed']} spurious {r['citations_spurious']}")
    c = data["overall"]["citations"]
    print(f"overall citations F1 {c['f1']:.3f} (P {c['precision']:.3f} R {c['recall']:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
