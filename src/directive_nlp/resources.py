"""Where the package finds its data files (gazetteers) and built artefacts (models).

Nothing here downloads anything. Lookup order:

* gazetteers: ``$DIRECTIVE_NLP_DATA`` (the directory holding ``units.toml`` …), else the
  ``gazetteers/`` directory at the repository root (found relative to this file, which works
  for the editable install the project uses).
* models: ``$DIRECTIVE_NLP_MODELS`` (the directory holding ``units/`` …), else ``models/`` at
  the repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "DIRECTIVE_NLP_DATA"
MODELS_ENV = "DIRECTIVE_NLP_MODELS"


def repo_root() -> Path:
    """The project root: ``src/directive_nlp/resources.py`` -> ``<root>``."""
    return Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Directory of the gazetteer data files (``units.toml``, ``unit_abbreviations.toml`` …)."""
    env = os.environ.get(DATA_ENV)
    if env:
        p = Path(env).expanduser()
        # accept either the gazetteer directory itself or a root that contains gazetteers/
        if not (p / "units.toml").exists() and (p / "gazetteers" / "units.toml").exists():
            p = p / "gazetteers"
        return p
    return repo_root() / "gazetteers"


def gazetteer_path(name: str) -> Path:
    """Path of one gazetteer file, e.g. ``gazetteer_path("units.toml")``."""
    return data_dir() / name


def models_dir() -> Path:
    """Directory of built artefacts (``models/units/`` is the unit matcher pipeline)."""
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env).expanduser()
    return repo_root() / "models"
