"""A small fingerprint of a document's text, to recognise the same text in another format.

The fingerprint (a bottom-k min-hash sketch) is the ``SKETCH_SIZE`` smallest hashes of the
text's word shingles (``SHINGLE`` syllables, tone placement and case ignored, so line breaks,
page layout and "hoá"/"hóa" do not matter). Two sketches estimate the Jaccard similarity of the
two shingle sets; near-identical texts (the PDF and the TXT of one notice) score high, two
different notices of one genre score low.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..normalise.text import syllables

SHINGLE = 5
SKETCH_SIZE = 64
# Estimated Jaccard similarity from which two texts are the same document.
SAME_TEXT = 0.6


def _hash(shingle: str) -> int:
    """A signed 64-bit hash (fits an SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big", signed=True)


def sketch(text: str) -> list[int]:
    """The bottom-k min-hash sketch of ``text`` (sorted; empty for a text without words)."""
    words = syllables(text)
    if not words:
        return []
    n = min(SHINGLE, len(words))
    hashes = {_hash(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}
    return sorted(hashes)[:SKETCH_SIZE]


def similarity(a: Iterable[int], b: Iterable[int]) -> float:
    """Estimated Jaccard similarity of the texts behind two sketches (0 … 1)."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    k = min(SKETCH_SIZE, len(sa | sb))
    union_bottom = sorted(sa | sb)[:k]
    return sum(1 for h in union_bottom if h in sa and h in sb) / k
