"""Normalising stage: clean display text and build matching keys."""
from .text import clean, fold, key, strip_tones, syllables, dice

__all__ = ["clean", "fold", "key", "strip_tones", "syllables", "dice"]
