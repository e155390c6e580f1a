"""A real, non-editable install into a fresh virtual environment answers queries from any directory.

This is what a user gets from ``pip install genai-kg``: the wheel must carry the ontology and the queries
(``genai_kg/_data/``), and nothing may depend on the source checkout being nearby.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    """The user's environment without anything that would let the checkout leak in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> dict[str, Path]:
    """A fresh venv (no system site-packages) with the package installed from the checkout, not editable."""
    root = tmp_path_factory.mktemp("install")
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=120)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr[-4000:]
    workdir = root / "elsewhere"  # not the checkout: the bundled data must come from the wheel
    workdir.mkdir()
    return {"python": python, "genai_kg": bindir / "genai-kg", "cwd": workdir}


def _run(venv, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in argv], cwd=venv["cwd"], capture_output=True, text=True, timeout=180, env=_env()
    )


def test_query_from_another_directory(venv):
    done = _run(venv, venv["genai_kg"], "query", "systems-by-output", "--param", "modality=image", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    labels = {b["label"]["value"] for b in data["results"]["bindings"]}
    assert {"DALL-E", "Stable Diffusion", "Midjourney"} <= labels
    assert "BERT" not in labels


def test_python_m_version(venv):
    from importlib.metadata import version

    done = _run(venv, venv["python"], "-m", "genai_kg", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"genai-kg, version {version('genai-kg')}"


def test_bundled_data_comes_from_the_installed_package(venv):
    done = _run(venv, venv["python"], "-c", "import genai_kg.paths as p; print(p.ONTOLOGY_DIR); print(p.QUERIES_DIR)")
    assert done.returncode == 0, done.stderr
    for line in done.stdout.split():
        folder = Path(line)
        assert "site-packages" in folder.parts and folder.parent.name == "_data", folder
        assert REPO not in folder.parents


def test_wheel_carries_the_ontology_and_queries(venv):
    done = _run(venv, venv["python"], "-m", "pip", "show", "-f", "genai-kg")
    assert done.returncode == 0, done.stderr
    files = {line.strip() for line in done.stdout.splitlines()}
    ontology = {f"genai_kg/_data/ontology/{p.name}" for p in (REPO / "ontology").glob("*.ttl")}
    queries = {f"genai_kg/_data/queries/{p.name}" for p in (REPO / "queries").glob("*.rq")}
    assert "genai_kg/_data/ontology/individuals.ttl" in ontology
    assert "genai_kg/_data/queries/systems-by-output.rq" in queries
    assert ontology <= files, sorted(ontology - files)
    assert queries <= files, sorted(queries - files)
