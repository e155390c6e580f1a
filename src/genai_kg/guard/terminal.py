"""Text from data, made harmless for a terminal: control characters shown as escapes, never obeyed.

A label is untrusted text. Written raw to a terminal, an escape sequence in it can set the window title,
write the clipboard (OSC 52), move the cursor to fake earlier lines, or hide text; a carriage return
overwrites the line it is on; bidirectional overrides reorder what is shown. :func:`escape_controls`
spells each such character as Python would (``\\x1b``, ``\\u202e``), so it is seen and not obeyed.

>>> escape_controls("GPT\\x1b]0;pwned\\x07-4\\r\\n", keep="\\n")
'GPT\\\\x1b]0;pwned\\\\x07-4\\\\r\\n'
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "CONTROLS"]

#: C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _spell(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep: str = "") -> str:
    """``text`` with every control character not in ``keep`` written as an escape (``\\x1b``)."""
    if not CONTROLS.search(text):
        return text
    return CONTROLS.sub(lambda m: m[0] if m[0] in keep else _spell(m[0]), text)
