"""The coverage page of one document: its text, each sentence shaded by how many claims it anchors, its claims
(or why it was set aside) in the sentence's tooltip. Offline: inline CSS, no script, everything escaped."""

from __future__ import annotations

import html
import os
from pathlib import Path

from ..fileio import write_text_atomic
from .coverage import CoverageReport, DocumentCoverage

__all__ = ["coverage_page", "write_coverage_pages"]

_STYLE = """body{font:15px/1.6 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
pre{white-space:pre-wrap;font:inherit}
.s{border-radius:3px;padding:0 1px}
.c0{background:#f8d7da;outline:2px solid #c9302c}.aside{color:#767676;font-style:italic}
.c1{background:#dcf0d5}.c2{background:#b0dca3}.c3{background:#80c370}.c4{background:#4f9f45}
.key span{display:inline-block;margin-right:1em;padding:0 .4em}"""


def _shade(sentence) -> str:
    if sentence.claims:
        return f"c{min(len(sentence.claims), 4)}"
    return "aside" if sentence.set_aside is not None else "c0"


def _key(doc: DocumentCoverage) -> str:
    """The legend: each shade with how many of the document's sentences wear it (a curator reads the page's
    state before hovering anything)."""
    counts: dict[str, int] = {}
    for sentence in doc.sentences:
        counts[_shade(sentence)] = counts.get(_shade(sentence), 0) + 1
    names = (("c0", "no claim, not set aside"), ("aside", "set aside"), ("c1", "1 claim"), ("c2", "2 claims"),
             ("c3", "3 claims"), ("c4", "4 or more"))
    return "".join(f'<span class="{c}">{name}: {counts.get(c, 0)}</span>' for c, name in names)


def _tip(sentence) -> str:
    if sentence.claims:
        head = f"sentence {sentence.number}: {len(sentence.claims)} claim{'s' if len(sentence.claims) != 1 else ''}"
        return "\n".join([head, *sentence.claims])
    row = sentence.set_aside
    if row is None:
        return f"sentence {sentence.number}: no claim and not set aside"
    detail = f"sentence {sentence.repeats}" if row.reason == "repeats" and sentence.repeats else row.detail
    return f"sentence {sentence.number}: set aside ({row.reason}{': ' + detail if detail else ''})"


def coverage_page(doc: DocumentCoverage) -> str:
    """One self-contained HTML page for ``doc``."""
    parts, at = [], 0
    for sentence in doc.sentences:
        parts.append(html.escape(doc.text[at : sentence.start]))
        parts.append(
            f'<span class="s {_shade(sentence)}" id="s{sentence.number}" title="{html.escape(_tip(sentence))}">'
            f"{html.escape(doc.text[sentence.start : sentence.end])}</span>"
        )
        at = sentence.end
    parts.append(html.escape(doc.text[at:]))
    title = html.escape(f"Coverage of {doc.label} ({doc.file})")
    summary = html.escape(f"{doc.accounted} of {len(doc.sentences)} sentences accounted for")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body>\n<h1>{title}</h1>\n<p>{summary}. "
        f'Hover a sentence for its claims.</p>\n<p class="key">{_key(doc)}</p>\n'
        f"<pre>{''.join(parts)}</pre>\n</body></html>\n"
    )


def write_coverage_pages(report: CoverageReport, directory: str | Path) -> list[Path]:
    """Write one page per document into ``directory`` (created if needed), named after the document's file."""
    folder = Path(directory)
    os.makedirs(folder, exist_ok=True)
    written = []
    for doc in report.documents:
        path = folder / (Path(doc.file).stem + ".html")
        write_text_atomic(path, coverage_page(doc))
        written.append(path)
    return written
