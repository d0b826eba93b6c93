"""Where the package finds its data files (gazetteers) and built artefacts (models).

Nothing here downloads anything. Lookup order:

* gazetteers: ``$DIRECTIVE_NLP_DATA`` (the directory holding ``units.toml`` …), else the
  ``gazetteers/`` directory of the source tree (an editable install or a checkout), else the
  copy packaged inside the wheel (``directive_nlp/_data/gazetteers``).
* models: ``$DIRECTIVE_NLP_MODELS`` (the directory holding ``units/`` …), else ``models/`` of the
  source tree, else the packaged copy (``directive_nlp/_data/models``).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DATA_ENV = "DIRECTIVE_NLP_DATA"
MODELS_ENV = "DIRECTIVE_NLP_MODELS"
PACKAGED = "_data"  # folder inside the installed package (see pyproject's force-include)
# data files without which extraction cannot run (``doctor`` checks them)
REQUIRED_DATA = ("units.toml", "unit_abbreviations.toml", "doc_types.toml", "symbol_patterns.toml")


def repo_root() -> Path:
    """The project root: ``src/directive_nlp/resources.py`` -> ``<root>``."""
    return Path(__file__).resolve().parents[2]


def packaged_dir(name: str) -> Path:
    """``directive_nlp/_data/<name>`` of the installed package (may not exist in a checkout)."""
    return Path(str(resources.files("directive_nlp").joinpath(PACKAGED, name)))


def _source_or_packaged(name: str, marker: str) -> Path:
    source = repo_root() / name
    if (source / marker).exists():
        return source
    packaged = packaged_dir(name)
    return packaged if (packaged / marker).exists() else source


def data_dir() -> Path:
    """Directory of the gazetteer data files (``units.toml``, ``unit_abbreviations.toml`` …)."""
    env = os.environ.get(DATA_ENV)
    if env:
        p = Path(env).expanduser()
        # accept either the gazetteer directory itself or a root that contains gazetteers/
        if not (p / "units.toml").exists() and (p / "gazetteers" / "units.toml").exists():
            p = p / "gazetteers"
        return p
    return _source_or_packaged("gazetteers", "units.toml")


def gazetteer_path(name: str) -> Path:
    """Path of one gazetteer file, e.g. ``gazetteer_path("units.toml")``."""
    return data_dir() / name


def models_dir() -> Path:
    """Directory of built artefacts (``models/units/`` is the unit matcher pipeline)."""
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env).expanduser()
    return _source_or_packaged("models", "README.md")
