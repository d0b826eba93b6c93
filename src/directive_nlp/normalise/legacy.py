"""Legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258): detection and conversion.

Placeholder: the full tables arrive with the readers work.
"""
from __future__ import annotations


def decode_legacy(data: bytes) -> str | None:
    """Decode bytes that are not UTF-8 when they fit a known Vietnamese legacy encoding."""
    return None


def fix_legacy_text(text: str) -> str:
    """Convert text that decoded as Unicode but is really TCVN3/VNI font text."""
    return text
