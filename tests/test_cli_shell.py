"""The terminal a person reads: defaults said on stderr, and shell completion of names, parameters and formats."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from genai_kg.catalog import get_query, list_queries
from genai_kg.cli import main


def _complete(*words: str) -> list[str]:
    """What bash completion offers after ``genai-kg WORDS`` (the last word is the one being typed)."""
    env = dict(os.environ, COMP_WORDS=" ".join(("genai-kg", *words)), COMP_CWORD=str(len(words)),
               _GENAI_KG_COMPLETE="bash_complete")
    out = subprocess.run([sys.executable, "-m", "genai_kg"], env=env, capture_output=True, text=True, check=True)
    return [line.split(",", 1)[1] for line in out.stdout.splitlines() if "," in line]


def test_a_parameter_filled_from_its_default_is_said_on_stderr():
    query = get_query("systems-by-output")
    (param,) = [p for p in query.params if p.default is not None]
    result = CliRunner().invoke(main, ["query", "systems-by-output", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert f"{param.name}: {param.default} (the default)" in result.stderr
    assert "(the default)" not in result.stdout
    given = CliRunner().invoke(main, ["query", "systems-by-output", "--param", "modality=text", "--format", "csv"])
    assert given.exit_code == 0 and "(the default)" not in given.stderr


@pytest.mark.parametrize("prefix", ["sys", "w", ""])
def test_query_names_complete(prefix):
    offered = _complete("query", prefix)
    assert offered == [q.name for q in list_queries() if q.name.startswith(prefix)]
    assert offered


def test_parameter_names_complete_for_the_query_given():
    for name in ("systems-by-output", "weaknesses"):
        expected = [f"{p.name}=" for p in get_query(name).params]
        assert _complete("query", name, "--param", "") == expected
        assert _complete("view", "--query", name, "--param", "") == expected


def test_formats_complete_from_the_registry():
    from genai_kg.answers import FORMATS

    assert _complete("query", "makers", "--format", "") == list(FORMATS)
