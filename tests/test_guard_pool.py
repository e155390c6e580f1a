"""The guard's pre-forked workers (genai_kg.guard.pool), as ``serve`` uses them: every limit of a child
forked per query still holds in a long-lived worker (deadline, memory cap, row cap, the audit hook, the query
checks), and a worker that overruns, dies or was refused is replaced."""

from __future__ import annotations

import dataclasses
import os
import time

import pytest
from conftest import missing

from genai_kg import guard, pipeline
from genai_kg.errors import LimitExceeded, QueryError, UnsafeInput
from genai_kg.graph import load
from genai_kg.guard.pool import WorkerPool


@pytest.fixture(autouse=True)
def _forks():
    """The pool forks its workers: without os.fork these tests skip, or fail with CI set, as for any component."""
    if not hasattr(os, "fork"):
        missing("os.fork (the worker pool forks)", "run the tests on Linux")

LLMS = "PREFIX gkg: <https://w3id.org/genai-kg/> SELECT ?s WHERE { ?s a gkg:LargeLanguageModel }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def kg():
    return load(store="oxigraph")


@pytest.fixture()
def pool(kg):
    made = pipeline.query_pool(kg.graph, size=2)
    yield made
    made.close()


def run(kg, query, pool, **kw):
    return pipeline.run_query(kg.graph, query, resolve=kg.resolve_term, pool=pool, **kw)


def pids(pool: WorkerPool, size: int | None = None) -> set[int]:
    """The workers' process ids, once ``size`` are up (a replacement is forked in the background)."""
    for _ in range(100):
        if size is None or len(pool._workers) == size:
            break
        time.sleep(0.05)
    return {w.pid for w in pool._workers}


def test_the_pool_answers_as_a_forked_child_does(kg, pool):
    alone = run(kg, LLMS, None)
    assert alone.count == 9
    for _ in range(5):  # the same workers, job after job
        answer = run(kg, LLMS, pool)
        assert (answer.variables, sorted(answer.lines())) == (alone.variables, sorted(alone.lines()))
    assert len(pids(pool, 2)) == 2


def test_a_slow_query_is_cut_at_the_deadline_and_its_worker_replaced(kg, pool):
    before = pids(pool)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="timed out after 1.5 s"):
        run(kg, SLOW, pool, timeout=1.5)
    assert time.monotonic() - started < 4
    after = pids(pool, 2)
    assert len(after) == 2 and after != before  # the overrunning worker was killed and replaced
    assert run(kg, LLMS, pool).count == 9


def test_service_load_and_updates_are_refused_with_the_pool(kg, pool):
    with pytest.raises(UnsafeInput, match="SERVICE"):
        run(kg, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", pool)
    with pytest.raises((UnsafeInput, QueryError)):
        run(kg, "SELECT * FROM <http://127.0.0.1:9/x.ttl> WHERE { ?s ?p ?o }", pool)
    with pytest.raises(QueryError, match="(?i)update"):
        run(kg, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", pool)
    assert run(kg, "ASK { <urn:x:a> ?p ?o }", pool).boolean is False


def test_the_row_cap_holds_in_a_worker(kg, monkeypatch):
    monkeypatch.setattr(guard.limits, "LIMITS", dataclasses.replace(guard.limits.LIMITS, max_rows=10))
    small = pipeline.query_pool(kg.graph, size=1)  # the limits in force when the pool starts
    try:
        with pytest.raises(LimitExceeded, match="more than 10 result rows"):
            run(kg, "SELECT * WHERE { ?s ?p ?o }", small)
        assert run(kg, LLMS + " LIMIT 5", small).count == 5
    finally:
        small.close()


def test_the_audit_hook_guards_every_job_and_a_refused_worker_is_replaced(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for queries")

    def handler(job):
        if job == "open":
            return open(secret).read()  # noqa: SIM115 - what a hostile engine might try
        from genai_kg.answer_form import Stream

        return Stream("ask", [], boolean=True)

    pool = WorkerPool(handler, size=1)
    try:
        first = pids(pool)
        with pytest.raises(UnsafeInput, match="secret.txt"):
            pool.run("open", timeout=10, where="job")
        assert pids(pool, 1) != first  # refused once: that worker is not trusted again
        assert pool.run("ask", timeout=10, where="job").boolean is True
        with pytest.raises(UnsafeInput):  # and the next worker is guarded as the first was
            pool.run("open", timeout=10, where="job")
    finally:
        pool.close()


def test_the_memory_cap_holds_in_a_worker(monkeypatch):
    monkeypatch.setattr(guard.limits, "LIMITS", dataclasses.replace(guard.limits.LIMITS, max_memory=256 * 1024 ** 2))

    def handler(job):
        from genai_kg.answer_form import Stream

        if job == "big":
            blocks = [bytearray(64 * 1024 ** 2) for _ in range(16)]  # 1 GiB, over the 256 MiB cap
            return Stream("ask", [], boolean=bool(blocks))
        return Stream("ask", [], boolean=True)

    pool = WorkerPool(handler, size=1)
    try:
        first = pids(pool)
        with pytest.raises(LimitExceeded, match="memory"):
            pool.run("big", timeout=20, where="job")
        assert pids(pool, 1) != first
        assert pool.run("small", timeout=10, where="job").boolean is True
    finally:
        pool.close()


def test_with_every_worker_busy_a_query_gets_a_child_of_its_own(kg):
    import threading

    pool = pipeline.query_pool(kg.graph, size=1)
    try:
        slow = threading.Thread(target=lambda: pytest.raises(LimitExceeded, run, kg, SLOW, pool, timeout=3))
        slow.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert run(kg, LLMS, pool).count == 9  # not held up by the busy worker
        assert time.monotonic() - started < 2
        slow.join(10)
    finally:
        pool.close()
