"""The name characters and escapes of the W3C RDF grammars, written once and turned into patterns.

SPARQL 1.1 (productions [164]-[173]) and Turtle ([163s]-[172s]) define prefixed names, variables and blank
node labels with the same productions. The ranges below are copied from them as data; every character class
and pattern here is built from that data, so the SPARQL lexer (:mod:`genai_kg.sparql`) and the Turtle
pre-scan (:mod:`genai_kg.guard.textscan`) cannot disagree with each other or with the grammar about where a
name ends: a name that ends early for a lexer lets the rest of the line be misread (``ex:brand™\\#`` read
as ``ex:brand`` followed by a comment).

>>> import re
>>> re.fullmatch(PNAME, "ex:brand™\\\\#") is not None
True
>>> is_pn_chars_base(ord("™")), is_pn_chars_base(0xF0000)
(True, False)
"""

from __future__ import annotations

import bisect
import re

__all__ = [
    "PN_CHARS_BASE_RANGES",
    "PN_CHARS_U_RANGES",
    "PN_CHARS_RANGES",
    "VARNAME_START_RANGES",
    "VARNAME_RANGES",
    "PN_LOCAL_ESC_CHARS",
    "WS_CHARS",
    "char_class",
    "escape_string",
    "is_pn_chars_base",
    "is_pn_chars",
    "PN_CHARS_BASE",
    "PN_CHARS_U",
    "PN_CHARS",
    "PLX",
    "PN_LOCAL_ESC",
    "PN_PREFIX",
    "PN_LOCAL",
    "PNAME",
    "VARNAME",
    "BLANK_NODE_LABEL",
    "LANGTAG",
]

Ranges = tuple[tuple[int, int], ...]

# [164] PN_CHARS_BASE, as the grammar writes it.
PN_CHARS_BASE_RANGES: Ranges = (
    (0x41, 0x5A),  # A-Z
    (0x61, 0x7A),  # a-z
    (0x00C0, 0x00D6),
    (0x00D8, 0x00F6),
    (0x00F8, 0x02FF),
    (0x0370, 0x037D),
    (0x037F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
)
_UNDERSCORE: Ranges = ((0x5F, 0x5F),)
_DIGITS: Ranges = ((0x30, 0x39),)
# The extra characters [166] VARNAME and [167] PN_CHARS allow after the first: #x00B7, [#x0300-#x036F],
# [#x203F-#x2040].
_COMBINING: Ranges = ((0x00B7, 0x00B7), (0x0300, 0x036F), (0x203F, 0x2040))
_HYPHEN: Ranges = ((0x2D, 0x2D),)


def _union(*parts: Ranges) -> Ranges:
    """Sorted ranges, adjacent and overlapping ones merged."""
    merged: list[list[int]] = []
    for lo, hi in sorted(r for part in parts for r in part):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


#: [165] PN_CHARS_U ::= PN_CHARS_BASE | '_'
PN_CHARS_U_RANGES = _union(PN_CHARS_BASE_RANGES, _UNDERSCORE)
#: [167] PN_CHARS ::= PN_CHARS_U | '-' | [0-9] | #x00B7 | [#x0300-#x036F] | [#x203F-#x2040]
PN_CHARS_RANGES = _union(PN_CHARS_U_RANGES, _HYPHEN, _DIGITS, _COMBINING)
#: [166] VARNAME's first character: PN_CHARS_U | [0-9]
VARNAME_START_RANGES = _union(PN_CHARS_U_RANGES, _DIGITS)
#: [166] VARNAME's other characters: PN_CHARS_U | [0-9] | #x00B7 | [#x0300-#x036F] | [#x203F-#x2040]
VARNAME_RANGES = _union(VARNAME_START_RANGES, _COMBINING)
#: [173] PN_LOCAL_ESC: the characters a backslash may escape in a local name.
PN_LOCAL_ESC_CHARS = "_~.-!$&'()*+,;=/?#@%"
#: [162] WS (Turtle [161s]): the only white space between tokens; a comment ends at CR or LF.
WS_CHARS = " \t\r\n"


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def char_class(ranges: Ranges, extra: str = "", *, negate: bool = False) -> str:
    """A regular-expression class matching exactly the code points in ``ranges``, plus ``extra`` (with
    ``negate``, exactly those it leaves out).

    A class of many code points is written as the negation of what it leaves out (``[^...]``): Python's
    regular-expression compiler visits every code point of every range in a class, so the grammar's name
    classes (some 60,000 code points each, written a dozen times in the lexer) cost ~60 ms at every start-up;
    their complements are about a fifth of that. Whichever form holds fewer code points below U+10000 (those
    the compiler visits) is written, so the negation of a name class is its complement's few ranges (1 ms
    to compile instead of 3). Both forms match the same code points.
    """
    wanted = _union(ranges, tuple((ord(c), ord(c)) for c in extra))
    if negate:
        wanted = _complement(wanted)
    left_out = _complement(wanted)
    if _bmp_size(left_out) < _bmp_size(wanted):
        wanted, start = left_out, "[^"
    else:
        start = "["
    return start + "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in wanted) + "]"


def _bmp_size(ranges: Ranges) -> int:
    """How many code points below U+10000 ``ranges`` hold: what compiling them as a class costs (the compiler
    visits each of those, and keeps a range above U+FFFF as one range)."""
    return sum(min(hi, 0xFFFF) - lo + 1 for lo, hi in ranges if lo <= 0xFFFF)


def _complement(ranges: Ranges) -> Ranges:
    """The code points 0..U+10FFFF that ``ranges`` (sorted, disjoint, as :func:`_union` gives) leave out."""
    gaps, at = [], 0
    for lo, hi in ranges:
        if lo > at:
            gaps.append((at, lo - 1))
        at = hi + 1
    if at <= 0x10FFFF:
        gaps.append((at, 0x10FFFF))
    return tuple(gaps)


def _member(ranges: Ranges):
    starts = [lo for lo, _ in ranges]

    def test(code: int) -> bool:
        i = bisect.bisect_right(starts, code) - 1
        return i >= 0 and code <= ranges[i][1]

    return test


#: Whether a code point is in [164] PN_CHARS_BASE / [167] PN_CHARS.
is_pn_chars_base = _member(PN_CHARS_BASE_RANGES)
is_pn_chars = _member(PN_CHARS_RANGES)

PN_CHARS_BASE = char_class(PN_CHARS_BASE_RANGES)
PN_CHARS_U = char_class(PN_CHARS_U_RANGES)
PN_CHARS = char_class(PN_CHARS_RANGES)
_PN_CHARS_DOT = char_class(PN_CHARS_RANGES, ".")
_PN_CHARS_COLON = char_class(PN_CHARS_RANGES, ":")
_PN_CHARS_DOT_COLON = char_class(PN_CHARS_RANGES, ".:")
#: [173] PN_LOCAL_ESC ::= '\' ( '_' | '~' | '.' | '-' | '!' | ... | '#' | '@' | '%' )
PN_LOCAL_ESC = r"\\" + char_class((), PN_LOCAL_ESC_CHARS)
#: [170] PLX ::= PERCENT | PN_LOCAL_ESC, with [171] PERCENT ::= '%' HEX HEX
PLX = rf"(?:%[0-9A-Fa-f]{{2}}|{PN_LOCAL_ESC})"
#: [168] PN_PREFIX ::= PN_CHARS_BASE ((PN_CHARS|'.')* PN_CHARS)?
PN_PREFIX = rf"{PN_CHARS_BASE}(?:{_PN_CHARS_DOT}*{PN_CHARS})?"
#: [169] PN_LOCAL ::= (PN_CHARS_U | ':' | [0-9] | PLX ) ((PN_CHARS | '.' | ':' | PLX)* (PN_CHARS | ':' | PLX) )?
PN_LOCAL = (
    rf"(?:{char_class(_union(PN_CHARS_U_RANGES, _DIGITS), ':')}|{PLX})"
    rf"(?:(?:{_PN_CHARS_DOT_COLON}|{PLX})*(?:{_PN_CHARS_COLON}|{PLX}))?"
)
#: [140] PNAME_NS and [141] PNAME_LN: ``PN_PREFIX? ':' PN_LOCAL?``
PNAME = rf"(?:{PN_PREFIX})?:(?:{PN_LOCAL})?"
#: [166] VARNAME
VARNAME = rf"{char_class(VARNAME_START_RANGES)}{char_class(VARNAME_RANGES)}*"
#: [142] BLANK_NODE_LABEL ::= '_:' ( PN_CHARS_U | [0-9] ) ((PN_CHARS|'.')* PN_CHARS)?
BLANK_NODE_LABEL = rf"_:{char_class(_union(PN_CHARS_U_RANGES, _DIGITS))}(?:{_PN_CHARS_DOT}*{PN_CHARS})?"
#: [145] LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
LANGTAG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"

# A string literal's body, in SPARQL 1.1 ([156] STRING_LITERAL_QUOTE, [160] ECHAR) and in N-Triples and Turtle
# ([9]/[22] STRING_LITERAL_QUOTE, [153s] ECHAR, [10] UCHAR): the same rule in both. A raw ``"``, ``\``, LF or
# CR may not appear; ECHAR is the same eight escapes (\t \b \n \r \f \" \' \\) and \uXXXX the same code point
# escape. So one function writes both.
_ECHAR = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_NEEDS_ECHAR = re.compile(r'[\\"\n\r\t]')
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_string(text: str, *, controls: bool = False) -> str:
    r"""The body of a double-quoted string literal, in SPARQL and in N-Triples (their grammars agree).

    ``\``, ``"``, LF, CR and tab are written as ECHAR escapes: exactly what Oxigraph writes, so answers read
    from any engine come out as the same bytes. ``controls`` also writes every other control character
    (C0, DEL, C1, U+2028, U+2029) as ``\uXXXX``: legal in both grammars, wanted in query text that a log, a
    terminal or a line-based reader may show.

    >>> escape_string('say "hi"\n\x07'), escape_string("\x07\u2028", controls=True)
    ('say \\"hi\\"\\n\x07', '\\u0007\\u2028')
    """
    if _NEEDS_ECHAR.search(text):
        text = text.translate(_ECHAR)
    if controls and _CONTROLS.search(text):
        text = _CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04X}", text)
    return text
