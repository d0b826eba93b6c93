"""Normalising stage: clean display text and build matching keys."""

from .text import clean, dice, fold, key, strip_tones, syllables

__all__ = ["clean", "fold", "key", "strip_tones", "syllables", "dice"]
