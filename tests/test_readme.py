"""The README's examples run, so they cannot rot; every command has --help text and appears in the README."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from genai_kg import load
from genai_kg.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
README_PORT = "127.0.0.1:7878"


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == kind]


def console_commands() -> list[str]:
    return [line[2:] for body in blocks("console") for line in body.splitlines() if line.startswith("$ ")]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder holding the README's Turtle example as my-models.ttl, as a reader would save it."""
    folder = tmp_path_factory.mktemp("readme")
    (turtle,) = blocks("turtle")
    (folder / "my-models.ttl").write_text(turtle, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, oxigraph_server):
    """A real Oxigraph server on loopback for the README's push/--endpoint examples: its host:port."""
    with oxigraph_server(tmp_path_factory.mktemp("oxi")) as (_, query_url, _):
        yield query_url.removeprefix("http://").removesuffix("/query")


def test_readme_has_the_two_commands_near_the_top():
    top = README.read_text(encoding="utf-8")[:1500]
    assert "pip install . && genai-kg view -o genai-kg.html" in top
    assert "./scripts/test" in top
    assert (README.parent / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec ./scripts/test")


@pytest.mark.parametrize("command", console_commands())
def test_readme_command_runs(command, workdir, endpoint):
    args = shlex.split(command.replace(README_PORT, endpoint))
    assert args[0] == "genai-kg"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "genai_kg", *args[1:]], cwd=workdir, capture_output=True, text=True, env=env,
        timeout=300,
    )
    assert proc.returncode == 0, f"{command}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    if "-o" in args:
        assert (workdir / args[args.index("-o") + 1]).exists()
    elif args[1] not in ("validate", "push"):
        assert proc.stdout.strip(), f"{command} printed nothing"


@pytest.mark.slow  # the README's whole Python example: load, query, validate, view, export
def test_readme_python_example_runs(workdir, monkeypatch, capsys):
    monkeypatch.chdir(workdir)
    for code in blocks("python"):
        exec(compile(code, str(README), "exec"), {})
    out = capsys.readouterr().out
    assert "DALL-E" in out
    assert "every LLM is generative AI: True" in out
    rows = len(load().query("systems-by-output", modality="image"))
    assert f"['system', 'label', 'families', 'makers', 'statedBy'] {rows}" in out
    assert f"({rows} rows)" in out and "<KnowledgeGraph: " in out
    assert (workdir / "llm.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_readme_mentions_no_removed_api():
    text = README.read_text(encoding="utf-8")
    assert "genai_kg.html" not in text and ".askAnswer" not in text


def test_every_command_has_help_and_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and command.help.strip(), f"{name} has no help text"
        assert f"genai-kg {name}" in text, f"the README shows no example of {name}"
