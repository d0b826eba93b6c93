#!/usr/bin/env python3
"""Development evaluation of the gap check on the dev pair (002 ward plan vs 02-KH/BCĐTW).

Measures the two stages apart, as in policy-diffusion work:

* candidate recall@k: for each applicable gold item that gold aligns to local tasks, is one
  of those local tasks among the top-k retrieved candidates?
* decision: precision / recall of the accepted (upstream, local) pairs against gold, and of
  the "missing" decisions;
* the official scorer's figures (``../shared/tools/score.py gapcheck``).

Inputs are the gold extraction JSONs by default; ``--extract`` runs the real extractor on
the corpus sources instead (task ids then differ, so gold items and local tasks are mapped
to the predicted ones by text similarity, as the scorer does).

    .venv/bin/python scripts/eval_gapcheck.py [--extract] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from directive_nlp.linking import align as al  # noqa: E402
from directive_nlp.linking.gapcheck import check  # noqa: E402
from directive_nlp.normalise.text import dice  # noqa: E402

GOLD_GAP = SHARED / "gold/gap/002_vs_001.json"
GOLD_UP = SHARED / "gold/001_83d4318d260d4f48.json"
GOLD_LOC = SHARED / "gold/002_71bab22afd98218f.json"
SRC_UP = SHARED / "corpus/001_83d4318d260d4f48.txt"
SRC_LOC = SHARED / "corpus/002_71bab22afd98218f.txt"
KS = (1, 3, 5)


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools/score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def text_map(gold: list[dict], pred: list[dict], threshold: float = 0.5) -> dict[str, str]:
    """gold id -> predicted id, greedy by descending Dice similarity (the scorer's pairing)."""
    cands = sorted(((dice(g["text"], p["text"]), g["id"], p["id"]) for g in gold for p in pred), reverse=True)
    out: dict[str, str] = {}
    used: set[str] = set()
    for s, g, p in cands:
        if s < threshold:
            break
        if g not in out and p not in used:
            out[g] = p
            used.add(p)
    return out


def evaluate(
    upstream: dict, local: dict, gold_gap: dict, gold_up: dict, gold_loc: dict, local_text: str | None = None
) -> dict:
    up_map = text_map(gold_up["tasks"], upstream["tasks"])
    loc_map = text_map(gold_loc["tasks"], local["tasks"])
    result = check(local, upstream, local_text=local_text)
    items = {it["upstream_task"]: it for it in result["items"]}
    applicable = [t for t in upstream["tasks"] if items[t["id"]]["applies"]]
    skip = [s for s in ((upstream.get("document") or {}).get("symbol"),) if s]
    ranked = al.align(
        applicable,
        local["tasks"],
        skip_cites=skip,
        top_k=len(local["tasks"]),
        context_terms=al.title_terms(upstream["document"].get("title"), local["document"].get("title")),
    )
    hits = {k: 0 for k in KS}
    n_items = 0
    tp = n_pred = n_gold = 0
    miss_tp = miss_pred = miss_gold = 0
    per_item = []
    for g in gold_gap["items"]:
        if not g["applies"]:
            continue
        pid = up_map.get(g["upstream_task"])
        gold_locals = {loc_map[x] for x in g["local_tasks"] if x in loc_map}
        pred_item = items.get(pid) if pid else None
        pred_locals = set(pred_item["local_tasks"]) if pred_item and pred_item["applies"] else set()
        if g["status"] == "missing":
            miss_gold += 1
        if pred_item and pred_item.get("status") == "missing":
            miss_pred += 1
            miss_tp += g["status"] == "missing"
        tp += len(gold_locals & pred_locals)
        n_pred += len(pred_locals)
        n_gold += len(gold_locals)
        ranks = None
        if gold_locals and pid in ranked.candidates:
            n_items += 1
            order = [c.local for c in ranked.candidates[pid]]
            ranks = sorted(order.index(x) + 1 for x in gold_locals if x in order)
            for k in KS:
                hits[k] += bool(ranks and ranks[0] <= k)
        per_item.append(
            {
                "gold": g["upstream_task"],
                "pred": pid,
                "gold_status": g["status"],
                "pred_status": pred_item and pred_item["status"],
                "gold_ranks": ranks,
                "gold_locals": sorted(gold_locals),
                "pred_locals": sorted(pred_locals),
            }
        )
    scored = _scorer().score_gapcheck(gold_gap, result)

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    return {
        "candidate_recall": {f"@{k}": ratio(hits[k], n_items) for k in KS},
        "candidate_items": n_items,
        "pairs": {
            "precision": ratio(tp, n_pred),
            "recall": ratio(tp, n_gold),
            "tp": tp,
            "predicted": n_pred,
            "gold": n_gold,
        },
        "missing_decisions": {"precision": ratio(miss_tp, miss_pred), "recall": ratio(miss_tp, miss_gold)},
        "mapped": {
            "upstream": f"{len(up_map)}/{len(gold_up['tasks'])}",
            "local": f"{len(loc_map)}/{len(gold_loc['tasks'])}",
        },
        "scorer": {
            "missing_f1": scored["missing"]["f1"],
            "distorted_f1": scored["distorted"]["f1"],
            "applicable_paired": scored["applicable_paired"],
        },
        "items": per_item,
        "prediction": result,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--extract", action="store_true", help="use the real extractor on the corpus sources")
    ap.add_argument("--json", action="store_true", help="print everything as JSON")
    ap.add_argument("--save", type=Path, help="write the gap-check prediction here")
    a = ap.parse_args()
    gold_gap = json.loads(GOLD_GAP.read_text())
    gold_up = json.loads(GOLD_UP.read_text())
    gold_loc = json.loads(GOLD_LOC.read_text())
    if a.extract:
        from directive_nlp.extraction.pipeline import extract_file

        upstream = extract_file(SRC_UP).to_dict()
        local = extract_file(SRC_LOC).to_dict()
        local_text = SRC_LOC.read_text(encoding="utf-8")
    else:
        upstream, local, local_text = gold_up, gold_loc, None
    res = evaluate(upstream, local, gold_gap, gold_up, gold_loc, local_text=local_text)
    if a.save:
        a.save.write_text(json.dumps(res["prediction"], ensure_ascii=False, indent=1), encoding="utf-8")
    if a.json:
        print(json.dumps({k: v for k, v in res.items() if k != "prediction"}, ensure_ascii=False, indent=1))
        return 0
    print(
        f"inputs: {'extractor output' if a.extract else 'gold extraction JSON'} "
        f"(mapped upstream {res['mapped']['upstream']}, local {res['mapped']['local']})"
    )
    cr = res["candidate_recall"]
    print(
        f"candidate recall over {res['candidate_items']} aligned gold items: "
        + "  ".join(f"{k} {v:.3f}" for k, v in cr.items())
    )
    p = res["pairs"]
    print(
        f"decision, pairs: precision {p['precision']:.3f} recall {p['recall']:.3f} "
        f"({p['tp']} of {p['predicted']} predicted, {p['gold']} gold)"
    )
    m = res["missing_decisions"]
    print(f"decision, missing: precision {m['precision']:.3f} recall {m['recall']:.3f}")
    s = res["scorer"]
    print(
        f"scorer: missing F1 {s['missing_f1']:.3f}  distorted|partial F1 {s['distorted_f1']:.3f} "
        f"(applicable paired {s['applicable_paired']})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
