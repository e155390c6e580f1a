"""Serialising the graph in the standard formats that Protégé, triple stores and other RDF tools load."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from .errors import LimitExceeded, UnsupportedFormat
from .formats import OWL_FORMATS, from_name
from .guard.output import refuse_xml_unfit
from .vocab import XSD

__all__ = ["GENID", "anonymous_individuals", "serialize_graph", "stable_graph", "stable_labels"]

#: Where the OWL exports name anonymous individuals: skolem IRIs (RDF 1.1 Concepts, 3.5) under the well-known
#: path ``/.well-known/genid/``, which rdflib's ``Graph.de_skolemize`` and other RDF tools turn back into blank
#: nodes; the label after it is the node's stable label (:func:`stable_labels`).
GENID = "https://w3id.org/.well-known/genid/genai-kg/"
#: Formats whose readers are OWL tools: their anonymous individuals are written as skolem IRIs by default.
_OWL_READERS = ("xml", "ofn", "owx")

_XSD = str(XSD)
#: Turtle's shorthand for these datatypes, by the grammar's INTEGER, DECIMAL, DOUBLE and BooleanLiteral.
_SHORTHAND = {
    str(XSD.integer): re.compile(r"^[+-]?[0-9]+$"),
    str(XSD.decimal): re.compile(r"^[+-]?[0-9]*\.[0-9]+$"),
    str(XSD.double): re.compile(r"^[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+$"),
    str(XSD.boolean): re.compile(r"^(?:true|false)$"),
}


def _lexical_turtle_serializer():
    """rdflib's Turtle serializer, but numbers and booleans keep their lexical form.

    rdflib writes a number's shorthand from its Python value: ``"300"^^xsd:decimal`` becomes ``300.0`` and
    ``"1.50"^^xsd:decimal`` becomes ``1.5`` — other literals than the ones in the graph. Here a literal is
    written as shorthand only when its lexical form already is valid shorthand, else in full.
    """
    from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer

    class LexicalTurtleSerializer(TurtleSerializer):
        # rdflib 7.6 renamed getQName to get_pname (the old name warns); rdflib 7.1-7.5 have only the old one
        _pname = getattr(TurtleSerializer, "get_pname", None) or TurtleSerializer.getQName

        def label(self, node, position):
            if isinstance(node, Literal) and node.datatype is not None and str(node.datatype) in _SHORTHAND:
                lexical = str(node)
                if _SHORTHAND[str(node.datatype)].match(lexical):
                    return lexical
                return node._literal_n3(
                    use_plain=False, qname_callback=lambda dt: self._pname(dt, _GEN_QNAME_FOR_DT)
                )
            return super().label(node, position)

    return LexicalTurtleSerializer


def serialize_graph(graph: Graph, format: str = "turtle", *, name_individuals: bool | None = None) -> str:
    """Serialise ``graph`` as Turtle, RDF/XML, JSON-LD, N-Triples, OWL functional syntax or OWL/XML, as text.

    JSON-LD carries an inline ``@context`` built from the graph's bound prefixes, so a reader never has to
    fetch a remote context. Blank nodes get labels from the graph's content (:func:`stable_labels`) and the
    triples a fixed order, so the same graph always gives the same bytes in every format (N-Triples sorted).
    With ``name_individuals`` (the default for RDF/XML, and always for ``ofn`` and ``owx``) anonymous
    individuals become skolem IRIs under :data:`GENID`, so that OWL tools keep the assertions on them.
    """
    key = format.lower().strip()
    if name_individuals is None:
        name_individuals = key in _OWL_READERS
    if key in OWL_FORMATS:
        _check_xml_chars(graph)
        return _serialize_owl(stable_graph(graph, name_individuals=True), OWL_FORMATS[key])
    name = from_name(format, writable=True).rdflib_serializer
    if name is None:  # a writable format has a writer; this keeps it so
        raise UnsupportedFormat(f"no writer for {format}", argument="format")
    if name == "xml":
        _check_xml_chars(graph)
    try:
        return _serialize(stable_graph(graph, name_individuals=name_individuals), name)
    except RecursionError:  # rdflib's Turtle, JSON-LD and RDF/XML writers nest blank nodes by recursion
        raise LimitExceeded(
            f"blank nodes nest too deeply for the {format} writer; use nt", argument="format"
        ) from None


def _serialize_owl(graph: Graph, syntax: str) -> str:
    """OWL functional syntax (``ofn``) or OWL/XML (``owx``), written by py-horned-owl from the RDF/XML.

    ``graph`` has its anonymous individuals named (:func:`stable_graph`), since py-horned-owl's RDF reader
    keeps no assertion on a blank individual. That reader (2.0) also has no rule for
    ``owl:AllDisjointClasses``, in any spelling of the list (its functional-syntax and OWL/XML readers keep
    it), so each one of the graph is added back as a ``DisjointClasses`` axiom of its members; the exported
    files then hold the axioms the OWL API reads from the RDF/XML, no more and no fewer.
    """
    import pyhornedowl
    import pyhornedowl.model as model
    from rdflib import RDF, URIRef
    from rdflib.collection import Collection

    owl = "http://www.w3.org/2002/07/owl#"
    try:
        rdfxml = _serialize(graph, "xml")
    except RecursionError:
        raise LimitExceeded("blank nodes nest too deeply for the OWL writer; use nt", argument="format") from None
    ontology = pyhornedowl.open_ontology_from_string(rdfxml, "owl")
    for node in sorted(graph.subjects(RDF.type, URIRef(owl + "AllDisjointClasses")), key=str):
        head = graph.value(node, URIRef(owl + "members"))
        if head is None:  # no members: no axiom to add back
            continue
        members = list(Collection(graph, head))
        if not all(isinstance(m, URIRef) for m in members):
            raise UnsupportedFormat(
                "an owl:AllDisjointClasses has a member that is not a named class; use xml or ttl", argument="format"
            )
        ontology.add_axiom(model.DisjointClasses([ontology.class_(str(m)) for m in members]))
    for prefix, namespace in sorted(graph.namespaces()):
        if prefix:
            ontology.add_prefix_mapping(prefix, str(namespace))
    text = ontology.save_to_string(syntax)  # type: ignore[arg-type]  # ofn or owx, from OWL_FORMATS
    return _renumber_anonymous(text)


#: py-horned-owl's names for anonymous individuals (``_:anon000237`` in OFN, ``nodeID="anon000237"`` in OWX).
_ANON = re.compile(r"anon(\d{6,})")


def _renumber_anonymous(text: str) -> str:
    """py-horned-owl numbers anonymous individuals in an order that changes from run to run; renumbered by
    first appearance, the same ontology gives the same bytes (a release must be reproducible)."""
    names: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        return names.setdefault(match.group(1), f"anon{len(names):06d}")

    return _ANON.sub(rename, text)


def _check_xml_chars(graph: Graph) -> None:
    """Refuse, in one line, a graph whose terms hold a character XML 1.0 cannot carry (a control character
    in a label would make an RDF/XML file that no XML reader accepts)."""
    for triple in graph:
        for term in triple:
            refuse_xml_unfit(str(term), instead="ttl, nt or json-ld", what=term.n3()[:80])


def _serialize(graph: Graph, name: str) -> str:
    if name == "json-ld":
        context = {p: str(ns) for p, ns in graph.namespace_manager.namespaces() if p}
        text = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
        return _sorted_json_ld(text)
    if name == "nt":
        return _sorted_ntriples(graph)
    try:
        if name == "turtle":
            import io

            stream = io.BytesIO()
            _lexical_turtle_serializer()(graph).serialize(stream, encoding="utf-8")
            return stream.getvalue().decode("utf-8")
        return graph.serialize(format=name)
    except ValueError as exc:
        if name == "xml" and "no valid way to shorten" in str(exc):
            iri = str(exc).rsplit(" ", 1)[-1]
            raise UnsupportedFormat(
                f"RDF/XML cannot write the property <{iri}> (its IRI does not end in a name); use ttl, nt or json-ld",
                argument="format",
            ) from None
        raise


def _sorted_json_ld(text: str) -> str:
    """rdflib's JSON-LD writer lists the top-level nodes in a set's order (a new one every run): sort them by
    ``@id`` and every object's keys, so the same graph gives the same file."""
    import json

    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("@id", "")) if isinstance(node, dict) else "")
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True)


def _sorted_ntriples(graph: Graph) -> str:
    """Sorted N-Triples of a graph whose blank nodes already carry stable labels (:func:`stable_graph`)."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))


_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_ANNOTATED = tuple(_OWL + n for n in ("annotatedSource", "annotatedProperty", "annotatedTarget"))
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")
#: Rounds of colour refinement: enough to tell apart every blank node of the bundled graph (lists of 20 members
#: need 20), cheap (each round is one pass over the blank nodes' triples).
_ROUNDS = 64


def _local(term) -> str:
    text = str(term)
    return _NOT_NAME.sub("_", re.split(r"[#/:]", text.rstrip("/#"))[-1]) or "x"


def stable_labels(graph: Graph) -> dict:
    """A label for every blank node of ``graph`` that depends on the graph's content alone, not on parsing.

    An ``owl:Axiom`` or ``owl:Annotation`` is named from what it annotates, as the bundled files name them
    (``LargeLanguageModel_subClassOf_GenerativeAI``; a nested annotation adds ``_source_`` and its target; a
    blank target, a restriction, is ``b`` and a hash of its content).
    A blank value of one property outside OWL's structure (a citation's ``oa:hasSelector``, a document's
    ``gkg:hasSection``) is named after its one subject, the property and a hash of its own triples
    (``..._source_ReveChatArticle_hasSelector_1a2b3c4d``), so it keeps its name while the claim keeps its own.
    Every other blank node (lists, restrictions, ``owl:AllDisjointClasses``) gets a hash of its triples,
    refined by its neighbours' hashes (colour refinement, linear per round). Unlike RDF canonicalisation
    (RDFC-1.0, exponential on symmetric blank nodes, see SECURITY.md) this never searches: blank nodes that
    refinement cannot tell apart are numbered in an arbitrary order, which gives the same file whenever they
    are interchangeable (an automorphism) — always so for the bundled graph, whose test checks it.
    """
    edges: dict = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            edges[s].append(("s", str(p), o))
        if isinstance(o, BNode):
            edges[o].append(("o", str(p), s))
    if not edges:
        return {}

    digest = lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest()  # noqa: E731
    fixed = {  # what a node's own triples say apart from its blank neighbours: written once
        node: "|".join(sorted(f"{d} {p} {t.n3()}" for d, p, t in links if not isinstance(t, BNode)))
        for node, links in edges.items()
    }
    blank = {node: [(d, p, t) for d, p, t in links if isinstance(t, BNode)] for node, links in edges.items()}
    colours = {node: digest(text) for node, text in fixed.items()}
    active = list(edges)
    for _ in range(_ROUNDS):
        # only nodes not yet told apart are refined: a unique colour stays unique, and stays as it is
        sizes: dict = defaultdict(int)
        for colour in colours.values():
            sizes[colour] += 1
        active = [node for node in active if sizes[colours[node]] > 1 and blank[node]]
        if not active:
            break
        refined = {
            node: digest(colours[node] + "|".join(sorted(f"{d} {p} {colours[t]}" for d, p, t in blank[node])))
            for node in active
        }
        before = len(sizes)
        colours.update(refined)
        if len(set(colours.values())) == before:
            break
    readable: dict = {}
    pending = sorted(edges, key=colours.__getitem__)
    for _ in range(4):  # an annotation of an annotation is named after the one it annotates: a few levels
        for node in pending:
            name = _readable_name(edges[node], readable, colours)
            readable[node] = name or _value_name(edges[node], fixed[node], readable)
        pending = [node for node in pending if readable[node] is None]
    labels: dict = {}
    used: set = set()
    for node in sorted(edges, key=lambda n: (readable[n] or "~", colours[n])):
        name = readable[node] or "b" + colours[node][:12]
        label, n = name, 1
        while label in used:
            n += 1
            label = f"{name}_{n}"
        used.add(label)
        labels[node] = BNode(label)
    return labels


def _readable_name(links: list, named: dict, colours: dict) -> str | None:
    """``Source_property_Target`` for an annotation node (the source's own name when it is itself one; a
    blank target, such as a restriction, as ``b`` and its colour's first 8 hex digits); ``links`` are the
    node's (direction, predicate, term) triples, so no store is asked."""
    parts = {p: t for d, p, t in links if d == "s" and p in _ANNOTATED}
    if len(parts) != 3:
        return None
    source, prop, target = (parts[p] for p in _ANNOTATED)
    if isinstance(source, BNode):
        head = named.get(source)  # no recursion: hostile data may nest annotations thousands deep
        if head is None:
            return None
    else:
        head = _local(source)
    if isinstance(target, BNode):
        tail = "b" + colours[target][:8]
    elif isinstance(target, Literal):
        tail = hashlib.sha256(target.n3().encode("utf-8")).hexdigest()[:8]
    else:
        tail = _local(target)
    name = f"{head}_{_local(prop)}_{tail}"
    return name if name[0].isalpha() else "n" + name


def _value_name(links: list, own: str, named: dict) -> str | None:
    """``Subject_property_hash`` for a blank node that is the value of exactly one triple, through a property
    outside RDF's, RDFS's and OWL's own vocabulary, whose subject has a name (an IRI or a named blank node);
    the hash is of the node's own triples to terms that are not blank (``own``)."""
    incoming = [(p, t) for d, p, t in links if d == "o"]
    if len(incoming) != 1 or incoming[0][0].startswith(_STRUCTURE):
        return None
    prop, subject = incoming[0]
    head = named.get(subject) if isinstance(subject, BNode) else _local(subject)
    if head is None:
        return None
    name = f"{head}_{_local(prop)}_{hashlib.sha256(own.encode('utf-8')).hexdigest()[:8]}"
    return name if name[0].isalpha() else "n" + name


def stable_graph(graph: Graph, *, name_individuals: bool = False) -> Graph:
    """A copy of ``graph`` with :func:`stable_labels` and its triples in a fixed order, ontology header first.

    rdflib's writers keep the store's order (RDF/XML, JSON-LD) and write blank nodes by their labels, so
    this copy makes every writer give the same bytes for the same graph; the ontology's own triples come first,
    ``rdf:type`` first in each subject, because OWL readers (py-horned-owl, the OWL API) take an
    ``owl:versionIRI`` seen before ``rdf:type owl:Ontology`` for an annotation of nothing.

    ``name_individuals`` writes each anonymous individual (:func:`anonymous_individuals`) as the skolem IRI
    ``GENID + its stable label``: py-horned-owl's RDF reader keeps no assertion on a blank node that is not an
    OWL construct (a citation's ``oa:TextPositionSelector`` and its offsets, a document's sections), so OWL
    exports name them; the label comes from the graph's content, so the file stays byte-reproducible.
    """
    from rdflib import URIRef

    labels = stable_labels(graph)
    if name_individuals:
        for node in anonymous_individuals(graph):
            labels[node] = URIRef(GENID + str(labels[node]))

    def relabel(term: Node) -> Node:
        return labels.get(term, term)

    ontologies = set(graph.subjects(URIRef(_RDF_TYPE), URIRef(_OWL + "Ontology")))

    def key(triple):
        s, p, o = triple
        return (s not in ontologies, isinstance(s, BNode), str(s), str(p) != _RDF_TYPE, str(p), o.n3())

    out = Graph(store="SimpleMemory", bind_namespaces="none")  # Memory keeps triples in a set: hash order
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True)
    if name_individuals and any(isinstance(t, URIRef) and t.startswith(GENID) for t in labels.values()):
        out.bind("genid", GENID, override=False)
    for s, p, o in sorted(((relabel(s), p, relabel(o)) for s, p, o in graph), key=key):
        out.add((s, p, o))
    return out


#: Namespaces of OWL's own vocabulary: a blank node reached through them is structure (a list, a restriction,
#: an axiom or annotation node, an ``owl:AllDisjointClasses``), not an individual.
_STRUCTURE = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#", _OWL)
#: rdfs: properties that OWL reads as annotations: their blank-node values are individuals.
_RDFS_ANNOTATIONS = tuple(
    "http://www.w3.org/2000/01/rdf-schema#" + n for n in ("label", "comment", "seeAlso", "isDefinedBy")
)


def _structure(term) -> bool:
    return str(term).startswith(_STRUCTURE)


def anonymous_individuals(graph: Graph) -> set:
    """The blank nodes of ``graph`` that OWL reads as anonymous individuals: the value of a property outside
    RDF's, RDFS's and OWL's own vocabulary (an annotation such as ``oa:hasSelector`` or ``gkg:hasSection``,
    an object property) or of an rdfs: annotation, and a blank subject typed with a class of its own.

    Blank nodes of OWL's structure (lists, restrictions, ``owl:Axiom`` and ``owl:Annotation`` nodes,
    ``owl:AllDisjointClasses``) are reached only through rdf:, rdfs: and owl: properties, and stay blank.
    """
    found = set()
    for s, p, o in graph:
        if isinstance(o, BNode) and (not str(p).startswith(_STRUCTURE) or str(p) in _RDFS_ANNOTATIONS):
            found.add(o)
        elif isinstance(s, BNode) and str(p) == _RDF_TYPE and not isinstance(o, BNode) and not _structure(o):
            found.add(s)
    return found
