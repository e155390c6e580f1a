"""Endpoint URLs: checked in one place, never carrying credentials, never printing them.

A password in ``--endpoint http://user:secret@host/`` would sit in the shell's history and the process list,
and every message naming the URL would print it. :func:`check_http_url` refuses such a URL (credentials
come from the environment or a prompt), and :func:`redact` writes the user and password of any URL in a
message as ``***``, for the messages whose URLs come from elsewhere (a redirect, a JSON-LD context).

>>> redact("cannot reach http://ann:s3cret@example.org/sparql (and https://example.org/x)")
'cannot reach http://***@example.org/sparql (and https://example.org/x)'
"""

from __future__ import annotations

import urllib.parse

from .errors import ParameterError

__all__ = ["check_http_url", "redact"]

#: Where credentials come from instead (the endpoint client reads them; named here for the message).
CREDENTIALS_FROM = "the environment variables GENAI_KG_ENDPOINT_USER and GENAI_KG_ENDPOINT_PASSWORD"
_AUTHORITY_END = "/?#\\ \t\r\n\"'<>"


def redact(text: str) -> str:
    """``text`` with the userinfo (``user:password@``) of every ``scheme://`` URL in it written as ``***@``.

    Linear in the text: each ``://`` is looked at once, up to the end of its authority.
    """
    out, at = [], 0
    while True:
        mark = text.find("://", at)
        if mark < 0:
            out.append(text[at:])
            return "".join(out)
        start = mark + 3
        end = start
        while end < len(text) and text[end] not in _AUTHORITY_END:
            end += 1
        userinfo = text.rfind("@", start, end)
        if userinfo < 0:
            out.append(text[at:end])
        else:
            out.append(text[at:start] + "***")
            out.append(text[userinfo:end])
        at = end


def _shown(url: str) -> str:
    """One URL as a message may show it: all between ``://`` and its last ``@`` as ``***``. Stricter than
    :func:`redact`, which ends an authority at ``/``, ``?``, ``#`` or a space as a well-formed URL does: a
    password typed with one of those (``http://ann:se/cret@host/``) would print.

    >>> _shown("http://ann:se cret/x@example.org/q"), _shown("http://example.org/q")
    ('http://***@example.org/q', 'http://example.org/q')
    """
    mark, at = url.find("://"), url.rfind("@")
    return url[: mark + 3] + "***" + url[at:] if 0 <= mark < at else redact(url)


def check_http_url(url: str, argument: str = "endpoint") -> str:
    """``url`` if it is an http(s) URL with a host, a valid port and no credentials; ParameterError (bad input) naming
    ``argument`` else (the URL shown without its credentials)."""
    shown = _shown(url)
    try:
        parts = urllib.parse.urlsplit(url)
        host, _ = parts.hostname, parts.port  # both raise ValueError on a malformed authority
    except ValueError as exc:
        # urllib's reason may quote part of a password that holds '/', '#' or '?' (``as 'sec'``)
        reason = "" if "@" in url else f" ({exc})"
        raise ParameterError(f"{shown}: not a valid URL{reason}", argument=argument) from None
    if parts.scheme not in ("http", "https") or not host:
        raise ParameterError(f"{shown}: not an http(s) URL", argument=argument)
    if "@" in parts.netloc:
        raise ParameterError(
            f"{shown}: credentials in the URL are refused (they would show in your shell history and the"
            f" process list); give them in {CREDENTIALS_FROM}",
            argument=argument,
        )
    return url
