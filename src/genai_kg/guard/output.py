"""Text from data, made harmless where it goes: a terminal (controls shown, never obeyed) and XML (only
characters XML can carry).

A label is untrusted text. Written raw to a terminal, an escape sequence in it can set the window title,
write the clipboard (OSC 52), move the cursor to fake earlier lines, or hide text; a carriage return
overwrites the line it is on; bidirectional overrides and marks reorder what is shown; zero-width and tag
characters hide text in plain sight; U+2028 and U+2029 break lines where a terminal may show none.
:func:`escape_controls` spells each such character as Python would (``\\x1b``, ``\\u202e``), so it is seen
and not obeyed.

>>> escape_controls("GPT\\x1b]0;pwned\\x07-4\\r\\n", keep="\\n")
'GPT\\\\x1b]0;pwned\\\\x07-4\\\\r\\n'

XML 1.0 cannot carry most C0 controls at all, not even as ``&#1;``: a document holding one is not
well-formed, and every XML reader refuses it. :func:`xml_unfit` finds the first such character, so a
writer can refuse in one line instead of writing a broken file.

>>> xml_unfit("fine\\ttext"), xml_unfit("bell\\x07")
(None, '\\x07')
"""

from __future__ import annotations

import re

__all__ = [
    "escape_controls", "xml_unfit", "refuse_xml_unfit", "defuse_cell", "defuse_csv", "quiet_library_logs", "CONTROLS",
    "UNSEEN_CATEGORIES", "XML_UNFIT",
]

#: C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates: the characters
#: escaped without asking Unicode (a fast path; :func:`escape_controls` escapes more).
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Any character outside printable ASCII: a candidate, decided by its Unicode category.
_NOT_PRINTABLE_ASCII = re.compile("[^\x20-\x7e]")
#: Unicode categories that change how text is shown without showing themselves: Cc (controls), Cf (format:
#: bidi marks U+200E/F and U+061C, zero-width characters, U+FEFF, tag characters U+E0000...), Zl and Zp
#: (U+2028, U+2029, which some terminals and editors take as line breaks).
UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _spell(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_controls(text: str, *, keep: str = "") -> str:
    """``text`` with every character of :data:`UNSEEN_CATEGORIES` not in ``keep`` written as an escape
    (``\\x1b``, ``\\u200f``, ``\\U000e0041``), so that it is seen and not obeyed.

    >>> escape_controls("a\u200fb\u2028c\ufeff\U000e0041")
    'a\\\\u200fb\\\\u2028c\\\\ufeff\\\\U000e0041'
    """
    if text.isascii():
        if not CONTROLS.search(text):
            return text
        return CONTROLS.sub(lambda m: m[0] if m[0] in keep else _spell(m[0]), text)
    import unicodedata  # here: --help imports this module and needs no Unicode tables

    def spell(match: re.Match) -> str:
        ch = match[0]
        if ch in keep or unicodedata.category(ch) not in UNSEEN_CATEGORIES:
            return ch
        return _spell(ch)

    return _NOT_PRINTABLE_ASCII.sub(spell, text)


#: Characters outside XML 1.0's ``Char`` production (lone surrogates included).
XML_UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_unfit(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot carry, or None."""
    match = XML_UNFIT.search(text)
    return match[0] if match else None


def refuse_xml_unfit(text: str, *, instead: str, what: str = "a value") -> None:
    """The one "XML cannot carry this" refusal: UnsupportedFormat (argument ``format``) naming the first
    character of ``text`` outside XML 1.0 and the formats to use ``instead``; nothing when there is none.

    >>> refuse_xml_unfit("bell\\x07", instead="json")
    Traceback (most recent call last):
    genai_kg.errors.UnsupportedFormat: format: a value holds U+0007, which XML cannot carry; use json
    """
    match = XML_UNFIT.search(text)
    if match is not None:
        from ..errors import UnsupportedFormat

        raise UnsupportedFormat(
            f"{what} holds U+{ord(match[0]):04X}, which XML cannot carry; use {instead}", argument="format"
        )


def quiet_library_logs(name: str = "rdflib") -> None:
    """Keep a library's log warnings off stderr, and its errors to one escaped line.

    rdflib logs a warning for every odd IRI it meets (``... does not look like a valid URI``), raw and
    spread over lines when the IRI holds control characters from data or a parameter; a command line's
    stderr keeps to its own one-line messages.
    """
    import logging  # here, not at the top: ``--help`` imports this module and needs no logging

    class _OneLine(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            from ..urls import redact

            return escape_controls(redact(" ".join(super().format(record).split())))

    logger = logging.getLogger(name)
    logger.setLevel(logging.ERROR)
    if not any(type(h.formatter).__name__ == "_OneLine" for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(_OneLine("%(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def defuse_cell(cell: str) -> str:
    """One CSV cell made inert for spreadsheets (OWASP's advice): a leading ``'`` on a cell that starts like
    a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return), unless it is a plain number.

    >>> defuse_cell("=SUM(A1)"), defuse_cell("-1.5"), defuse_cell("GPT-4")
    ("'=SUM(A1)", '-1.5', 'GPT-4')
    """
    return "'" + cell if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell) else cell


def defuse_csv(text: str) -> str:
    r"""CSV ``text`` with every cell that a spreadsheet would run as a formula made inert (:func:`defuse_cell`).

    >>> print(defuse_csv('label,n\n"=HYPERLINK(""http://x"")",-2\n@SUM(A1),+x\n'), end="")
    label,n
    "'=HYPERLINK(""http://x"")",-2
    '@SUM(A1),'+x
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if "\r\n" in text else "\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(defuse_cell(cell) for cell in row)
    return out.getvalue()
