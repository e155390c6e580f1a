"""The search index ``genai-kg serve`` answers ``/search`` from: SQLite FTS5 over labels and synonyms.

A ``FILTER`` over every label grows with the data (issue 22: 273-818 ms at 10M triples, 10x per 10x); an
FTS5 index answers a search in well under a millisecond whatever the size, if it is asked for words. It is
built when the server starts, in memory for a graph loaded from files, or in a file beside an
``oxigraph:DIR`` store, where it is rebuilt only when the store's manifest (the files loaded into it) changes.

A typed word is a prefix ("large lang"), but FTS5's own prefix query (``"lang"*``) first merges the postings
of every word that begins with it: one common word makes it grow with the data ("System 1234" took 1.7 ms at
1M triples and 20 ms at 10M, all in ``"system"*``). So the index keeps its words (``words``: each with the
number of labels holding it) and a typed word stands for at most :data:`EXPANSIONS` of the words it begins:
the word itself if the index holds it, then the commonest of the first :data:`LOOKED_AT` in order. FTS5 reads
those words' postings lazily and stops at the ``LIMIT`` (0.05 ms at both sizes). A typed word that begins more
words finds the labels of those chosen.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..vocab import LABEL_PREDICATES, SYNONYM_PREDICATES

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

__all__ = ["SearchIndex", "index_path"]

#: What is indexed: the label predicates of the one labelling rule, and synonyms of every scope.
_PREDICATES = [str(p) for p in LABEL_PREDICATES] + [str(p) for p in SYNONYM_PREDICATES]
_WORD = re.compile(r"\w+", re.UNICODE)
#: The index's layout: an index file of another layout is rebuilt.
SCHEMA = 3
#: How FTS5 splits and folds text: the index's, and the probe's that splits a query the same way.
_TOKENIZE = "unicode61 remove_diacritics 2"
#: The index's words a typed word stands for at most, chosen among the first LOOKED_AT it begins.
EXPANSIONS, LOOKED_AT = 32, 2000


def index_path(location: str | Path) -> Path:
    """Where the index of an ``oxigraph:DIR`` store lives: a file beside the store's folder."""
    folder = Path(location).resolve()
    return folder.with_name(folder.name + ".genai-kg-search.sqlite")


def _labels(graph: Graph) -> Iterator[tuple[str, str, int]]:
    """(IRI, text, 0 for a label / 1 for a synonym) of every labelled IRI, read straight from Oxigraph when
    it holds the triples."""
    from ..stores import is_oxigraph, oxigraph_store

    if is_oxigraph(graph):
        import pyoxigraph as ox

        store = oxigraph_store(graph)
        for rank, pred in enumerate(_PREDICATES):
            for s, _, o, _ in store.quads_for_pattern(None, ox.NamedNode(pred), None, None):
                if type(s) is ox.NamedNode and type(o) is ox.Literal:
                    yield s.value, o.value, int(rank == len(_PREDICATES) - 1)
        return
    from rdflib import Literal, URIRef

    for rank, pred in enumerate(_PREDICATES):
        for s, o in graph.subject_objects(URIRef(pred)):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                yield str(s), str(o), int(rank == len(_PREDICATES) - 1)


class SearchIndex:
    """Labels and synonyms in an FTS5 table; :meth:`search` ranks exact labels, then prefixes, then words."""

    def __init__(self, graph: Graph, path: str | Path | None = None, fingerprint: Any = None) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        stamp = json.dumps([SCHEMA, fingerprint], sort_keys=True) if fingerprint is not None else None
        self.rebuilt = not (stamp is not None and self._stamp() == stamp)
        if self.rebuilt:
            self._build(graph, stamp)
        # a query's words, split and folded by FTS5 itself (an in-memory table of one row, per connection)
        self.db.execute(f"CREATE VIRTUAL TABLE temp.probe USING fts5(text, tokenize = '{_TOKENIZE}')")
        self.db.execute("CREATE VIRTUAL TABLE temp.probe_words USING fts5vocab(temp, probe, 'instance')")

    def _stamp(self) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def _build(self, graph: Graph, stamp: str | None) -> None:
        db = self.db
        with db:
            for table in ("terms", "meta", "words"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute("CREATE VIRTUAL TABLE terms USING fts5(text, iri UNINDEXED, synonym UNINDEXED, "
                       f"label UNINDEXED, tokenize = '{_TOKENIZE}')")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            named: dict[str, str] = {}  # labels come before synonyms: a synonym's row carries its term's label

            def rows():
                for iri, text, synonym in _labels(graph):
                    if not synonym:
                        named.setdefault(iri, text)
                    yield iri, text, synonym, named.get(iri, text)

            db.executemany("INSERT INTO terms (iri, text, synonym, label) VALUES (?, ?, ?, ?)", rows())
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE VIRTUAL TABLE temp.counted USING fts5vocab(main, terms, 'row')")
            db.execute("INSERT INTO words SELECT term, doc FROM temp.counted")
            db.execute("DROP TABLE temp.counted")
            if stamp is not None:
                db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (stamp,))

    def _begun(self, text: str) -> str | None:
        """The FTS5 query for labels in which each of ``text``'s words (as FTS5 splits them) begins a word:
        ``("w1" OR "w2" ...) AND ...``, at most EXPANSIONS index words per typed word; None if a typed word
        begins none (nothing matches)."""
        db = self.db
        with db:  # committed at once: a transaction left open would hold the index file's lock
            db.execute("DELETE FROM temp.probe")
            db.execute("INSERT INTO temp.probe (text) VALUES (?)", (text,))
        typed = list(dict.fromkeys(t for (t,) in db.execute("SELECT term FROM temp.probe_words ORDER BY offset")))[:8]
        groups = []
        for word in typed:
            # the typed word itself first when the index holds it (a whole word typed is always looked for),
            # then the commonest of the words it begins
            found = db.execute("SELECT word FROM (SELECT word, n FROM words WHERE word >= ? AND word < ? "
                               "ORDER BY word LIMIT ?) ORDER BY word = ? DESC, n DESC, word LIMIT ?",
                               (word, word + "\U0010ffff", LOOKED_AT, word, EXPANSIONS)).fetchall()
            if not found:
                return None
            groups.append("(" + " OR ".join('"' + w.replace('"', '""') + '"' for (w,) in found) + ")")
        return " AND ".join(groups) or None

    def search(self, text: str, limit: int = 15) -> list[tuple[str, str]]:
        """(IRI, label) of up to ``limit`` terms: an exact label or synonym first, then terms with every word of
        ``text`` as a prefix (labels before synonyms, shorter first), each IRI once."""
        words = _WORD.findall(text.lower())[:8]
        if not words:
            return []
        # No ORDER BY over the matches: ranking them all (bm25) costs as many rows as the commonest word
        # matches (every "System N" at 10M triples); FTS5 stops at the LIMIT instead, and the few rows
        # found are ranked here: the exact text first (a phrase query, also stopping early), then labels
        # before synonyms, shorter first.
        exact = text.strip().lower()
        phrase = '"' + " ".join(words) + '"'
        with self._lock:
            rows = self.db.execute("SELECT iri, text, synonym, label FROM terms WHERE terms MATCH ? LIMIT ?",
                                   (phrase, limit * 4)).fetchall()
            rows = [r for r in rows if r[1].lower() == exact]
            begun = self._begun(text)
            if begun is not None:
                rows += self.db.execute("SELECT iri, text, synonym, label FROM terms WHERE terms MATCH ? LIMIT ?",
                                        (begun, limit * 8)).fetchall()
        rows.sort(key=lambda r: (r[1].lower() != exact, r[2], len(r[1]), r[1]))
        seen: dict[str, str] = {}
        for iri, _, _, label in rows:  # a synonym's term is shown by its label
            if iri not in seen and len(seen) < limit:
                seen[iri] = label
        return list(seen.items())
