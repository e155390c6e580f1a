"""Answers written straight from compact rows: the W3C SPARQL 1.1 CSV, TSV, JSON and XML results formats.

The rows come from the sandbox as TSV lines of N-Triples terms (:class:`genai_kg.rows.Answer`), which is
already the TSV format; CSV, JSON and XML read each term's parts from its text. No row becomes an rdflib
term on the way, which is where the time went for big answers. The protections of
:func:`genai_kg.results.format_result` hold here too: CSV cells a spreadsheet would run are defused
(unless ``raw_cells``), and XML refuses a value holding a character XML cannot carry.

>>> from genai_kg.rows import Answer
>>> answer = Answer("SELECT", ["s", "n"], ['<urn:x:a>\\t"1, 2"@en\\n_:b\\t\\n'], 2)
>>> format_answer(answer, "csv").splitlines()
['s,n', 'urn:x:a,"1, 2"', '_:b,']
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from .errors import UnsupportedFormat
from .guard.output import XML_UNFIT, defuse_cell
from .rows import Answer, parse_term

__all__ = ["COMPACT_FORMATS", "format_answer"]

#: The formats written from compact rows (SELECT and ASK answers).
COMPACT_FORMATS = ("csv", "tsv", "json", "xml")
_XML_NS = "http://www.w3.org/2005/sparql-results#"


def format_answer(answer: Answer, fmt: str, *, raw_cells: bool = False) -> str:
    """A SELECT or ASK answer in ``fmt`` (csv, tsv, json or xml), as the W3C results formats define them.

    CSV cells that a spreadsheet would run as formulas are defused unless ``raw_cells``.
    """
    if fmt not in COMPACT_FORMATS:
        raise ValueError(f"format not supported: {fmt}")
    if answer.kind not in ("SELECT", "ASK"):
        raise ValueError(f"a {answer.kind} answer is a graph, not a table of results")
    if answer.kind == "ASK":
        if fmt in ("csv", "tsv"):  # the W3C CSV/TSV formats have no boolean form
            return ("true" if answer.boolean else "false") + "\n"
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(answer.boolean)}) + "\n"
        return _xml_document("", f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    if fmt == "csv":
        return _csv(answer, raw_cells)
    return _WRITERS[fmt](answer)


def _csv(answer: Answer, raw_cells: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # as rdflib's CSV serializer ends its lines
    writer.writerow(answer.names if raw_cells else [defuse_cell(n) for n in answer.names])
    if raw_cells:
        for row in answer.rows():
            writer.writerow([_csv_value(cell) for cell in row])
    else:
        for row in answer.rows():
            writer.writerow([defuse_cell(_csv_value(cell)) for cell in row])
    return out.getvalue()


def _csv_value(cell: str) -> str:
    if not cell:
        return ""
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == "_":
        return cell
    return parse_term(cell)[1]


def _tsv(answer: Answer) -> str:
    return "\t".join(f"?{n}" for n in answer.names) + "\n" + "".join(answer.chunks)


def _json(answer: Answer) -> str:
    names = answer.names
    bindings = []
    for row in answer.rows():
        binding = {}
        for name, cell in zip(names, row, strict=True):
            parts = parse_term(cell)
            if parts is None:
                continue
            kind, value, language, datatype = parts
            term = {"type": kind, "value": value}
            if datatype is not None:
                term["datatype"] = datatype
            if language is not None:
                term["xml:lang"] = language
            binding[name] = term
        bindings.append(binding)
    data = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False) + "\n"


def _xml(answer: Answer) -> str:
    head = "".join(f"<variable name={quoteattr(n)}/>" for n in answer.names)
    parts = ["<results>"]
    for row in answer.rows():
        parts.append("<result>")
        for name, cell in zip(answer.names, row, strict=True):
            term = parse_term(cell)
            if term is None:
                continue
            kind, value, language, datatype = term
            if kind == "literal":
                attrs = f" xml:lang={quoteattr(language)}" if language else ""
                attrs += f" datatype={quoteattr(datatype)}" if datatype else ""
                inner = f"<literal{attrs}>{escape(_xml_fit(value))}</literal>"
            else:
                inner = f"<{kind}>{escape(_xml_fit(value))}</{kind}>"
            parts.append(f"<binding name={quoteattr(name)}>{inner}</binding>")
        parts.append("</result>")
    parts.append("</results>")
    return _xml_document(head, "".join(parts))


def _xml_fit(value: str) -> str:
    bad = XML_UNFIT.search(value)
    if bad is not None:
        raise UnsupportedFormat(
            f"a value holds U+{ord(bad[0]):04X}, which XML cannot carry; use json, csv or tsv", argument="format"
        )
    return value


def _xml_document(head: str, body: str) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_XML_NS}"><head>{head}</head>{body}</sparql>\n'


_WRITERS = {"tsv": _tsv, "json": _json, "xml": _xml}
