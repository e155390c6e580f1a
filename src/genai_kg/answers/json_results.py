"""The W3C SPARQL 1.1 Query Results JSON format, written from the answer's terms.

``head.vars`` is always there for rows (an empty answer too); an ASK answer is ``{"head": {}, "boolean":
...}`` as the format's own example. Each term is ``type`` and ``value``, then ``datatype`` or ``xml:lang``:
the same bytes whichever engine or endpoint gave the answer.

>>> from genai_kg.answer_form import Answer
>>> render(Answer.from_rows("select", ["n"], [['"2"^^<http://www.w3.org/2001/XMLSchema#integer>']]))
'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "2", "datatype": \
"http://www.w3.org/2001/XMLSchema#integer"}}]}}\\n'
"""

from __future__ import annotations

import json
from typing import Any

from ..answer_form import Answer, parse_term, renamed_blank_nodes

__all__ = ["render"]


def render(answer: Answer, name: str = "json", **_options: Any) -> str:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(answer.boolean)}) + "\n"
    answer = renamed_blank_nodes(answer)  # labels are the document's own: the same bytes from any engine
    names = answer.variables
    bindings = []
    for row in answer.rows():
        binding = {}
        for variable, cell in zip(names, row, strict=True):
            parts = parse_term(cell)
            if parts is None:
                continue
            kind, value, language, datatype = parts
            term = {"type": kind, "value": value}
            if datatype is not None:
                term["datatype"] = datatype
            if language is not None:
                term["xml:lang"] = language
            binding[variable] = term
        bindings.append(binding)
    return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False) + "\n"
