"""Remote SPARQL 1.1 endpoints: the protocol client (:mod:`.client`) and ``push`` (:mod:`.push`); queries
reach an endpoint through the one query pipeline (:mod:`genai_kg.pipeline`)."""

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
    "push_graph",
    "PushReport",
]
