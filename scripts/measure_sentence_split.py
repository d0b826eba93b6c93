"""Measure the sentence splitters for resolution prose (issue 10, spec v1.1 section 2).

Compares ``extraction.prose.split_sentences`` (regular expression) with underthesea's offline
``sent_tokenize`` on ``tests/data/prose/sentences.txt`` (one sentence a line, blank line between
paragraphs) and prints the share of paragraphs split exactly right, boundary precision and recall,
and the time each needs. Run: ``PYTHONPATH=src python scripts/measure_sentence_split.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

from directive_nlp.extraction.prose import split_sentences

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "prose" / "sentences.txt"


def paragraphs() -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if out[-1]:
                out.append([])
            continue
        out[-1].append(line.strip())
    return [p for p in out if p]


def boundaries(sentences: list[str]) -> set[int]:
    pos, out = 0, set()
    for s in sentences[:-1]:
        pos += len(s.replace(" ", ""))
        out.add(pos)
    return out


def score(name: str, split, paras: list[list[str]]) -> None:
    exact = tp = fp = fn = 0
    t0 = time.perf_counter()
    for gold in paras:
        pred = [s.strip() for s in split(" ".join(gold)) if s.strip()]
        exact += pred == gold
        g, p = boundaries(gold), boundaries(pred)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    dt = time.perf_counter() - t0
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    print(f"{name}: exact {exact}/{len(paras)} boundary P {prec:.3f} R {rec:.3f} time {dt * 1000:.1f} ms")


def main() -> None:
    paras = paragraphs()
    score("regex", split_sentences, paras)
    t0 = time.perf_counter()
    from underthesea import sent_tokenize

    print(f"underthesea import {time.perf_counter() - t0:.2f} s")
    score("underthesea.sent_tokenize", sent_tokenize, paras)


if __name__ == "__main__":
    main()
