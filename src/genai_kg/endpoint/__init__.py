"""Remote SPARQL 1.1 endpoints: the protocol client (:mod:`.client`), ``push`` (:mod:`.push`), and
``run_remote_query`` (:mod:`.remote`) until the one query pipeline takes its place."""

from __future__ import annotations

from .client import (
    MAX_ANSWER_BYTES,
    PASSWORD_ENV,
    USER_ENV,
    Credentials,
    check_graph_iri,
    check_url,
    credentials_from_env,
    query_endpoint,
)
from .push import DEFAULT_PUSH_GRAPH, PushReport, push_graph
from .remote import run_remote_query

__all__ = [
    "DEFAULT_PUSH_GRAPH",
    "USER_ENV",
    "PASSWORD_ENV",
    "MAX_ANSWER_BYTES",
    "Credentials",
    "credentials_from_env",
    "check_url",
    "check_graph_iri",
    "query_endpoint",
    "run_remote_query",
    "push_graph",
    "PushReport",
]
