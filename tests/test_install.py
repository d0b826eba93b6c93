"""A plain install works: the wheel carries its data, and the installed tool extracts and
ingests a document from outside the repository.

The wheel is built from this checkout (``pip wheel . --no-deps``, with the hatchling of the
shared environment, nothing downloaded), installed without dependencies into a fresh virtual
environment that sees the shared environment's packages (a ``.pth`` line naming its
site-packages, whose own ``.pth`` files, among them this checkout's editable install, are not
run), and the console script is run from a temporary folder with no project variable set.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_FILE = ROOT / "corpus" / "002_71bab22afd98218f.txt"

pytestmark = pytest.mark.slow


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIRECTIVE_NLP", "PYTHON"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    pytest.importorskip("hatchling")
    tmp = tmp_path_factory.mktemp("install")
    wheels = tmp / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    wheel = next(wheels.glob("directive_nlp-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shared = [p for p in site.getsitepackages() if Path(p).is_dir()] or [sysconfig.get_paths()["purelib"]]
    (Path(purelib) / "_shared_env.pth").write_text("\n".join(shared) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    work = tmp / "elsewhere"
    work.mkdir()
    doc = work / CORPUS_FILE.name
    shutil.copy(CORPUS_FILE, doc)
    return {"wheel": wheel, "venv": venv, "py": py, "work": work, "doc": doc}


def test_wheel_carries_the_data(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    assert "directive_nlp/_data/gazetteers/units.toml" in names
    assert "directive_nlp/messages.toml" in names
    assert any(n.startswith("directive_nlp/_data/models/units/") for n in names)


def test_installed_tool_extracts_and_ingests_outside_the_repository(installed):
    env = _clean_env()
    py, work = installed["py"], installed["work"]
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import directive_nlp, directive_nlp.resources as r;"
            "print(directive_nlp.__file__); print(r.data_dir())",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert str(installed["venv"]) in where[0], where  # the installed copy, not this checkout
    assert "_data" in where[1]
    tool = str(installed["venv"] / "bin" / "directive-nlp")
    r = subprocess.run(
        [tool, "extract", installed["doc"].name],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    # the installed tool reads its packaged data exactly as the checkout reads gazetteers/
    from directive_nlp.extraction.pipeline import extract_file

    here = extract_file(CORPUS_FILE).to_dict()
    assert len(data["tasks"]) == len(here["tasks"]) > 20
    assert data["document"] == here["document"] and data["document"]["implements"]
    assert [t["lead"] for t in data["tasks"]] == [t["lead"] for t in here["tasks"]]
    db = work / "store.db"
    r = subprocess.run(
        [tool, "ingest", installed["doc"].name, "--db", str(db)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "1 mới" in r.stdout and "0 lỗi" in r.stdout
    r = subprocess.run([tool, "doctor"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_installed_doctor_fails_loudly_without_data(installed, tmp_path):
    empty = tmp_path / "no-data"
    empty.mkdir()
    tool = str(installed["venv"] / "bin" / "directive-nlp")
    r = subprocess.run(
        [tool, "doctor", "--format", "json"],
        cwd=installed["work"],
        env=_clean_env(DIRECTIVE_NLP_DATA=str(empty)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "thiếu dữ liệu" in lines[0] and "units.toml" in lines[0]
