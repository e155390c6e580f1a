"""The W3C SPARQL Query Results XML format, written from the answer's terms.

A value holding a character XML 1.0 cannot carry (most C0 controls) is refused in one line by the guard's
one check (:func:`genai_kg.guard.output.refuse_xml_unfit`) rather than written into a broken document.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..answer_form import Answer, parse_term, renamed_blank_nodes
from ..guard.output import refuse_xml_unfit

__all__ = ["render"]

_NS = "http://www.w3.org/2005/sparql-results#"
_INSTEAD = "json, csv or tsv"


def _document(head: str, body: str) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_NS}"><head>{head}</head>{body}</sparql>\n'


def render(answer: Answer, name: str = "xml", **_options: Any) -> str:
    if answer.kind == "ask":
        return _document("", f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    answer = renamed_blank_nodes(answer)  # labels are the document's own: the same bytes from any engine
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in answer.variables)
    parts = ["<results>"]
    for row in answer.rows():
        parts.append("<result>")
        for variable, cell in zip(answer.variables, row, strict=True):
            term = parse_term(cell)
            if term is None:
                continue
            kind, value, language, datatype = term
            refuse_xml_unfit(value, instead=_INSTEAD)
            if kind == "literal":
                attrs = f" xml:lang={quoteattr(language)}" if language else ""
                attrs += f" datatype={quoteattr(datatype)}" if datatype else ""
                inner = f"<literal{attrs}>{escape(value)}</literal>"
            else:
                inner = f"<{kind}>{escape(value)}</{kind}>"
            parts.append(f"<binding name={quoteattr(variable)}>{inner}</binding>")
        parts.append("</result>")
    parts.append("</results>")
    return _document(head, "".join(parts))
