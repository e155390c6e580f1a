"""The ``genai-kg`` command line: a thin click shell over the Python API.

Data goes to stdout and messages to stderr; exit 0 is success, 1 a failed check, 2 bad input or usage,
3 an internal error, 4 timed out (``--timeout``), 5 an endpoint that failed (:data:`~genai_kg.cliopts.EXIT_CODES`).
Library errors become one ``Error: ...`` line (``--debug`` shows the traceback). Commands share a
:class:`~genai_kg.cliopts.State` on click's context (``@pass_state``). Heavy libraries (pyvis, networkx,
pySHACL) are imported inside the commands that need them, so ``--help`` stays fast.

A command written in another module (with ``cliopts``' options and ``pass_state``, importing only click and
``cliopts`` at its top) joins with one line at the end of this file: ``main.add_command(module.command)``.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .cliopts import (
    GenaiKgGroup,
    State,
    answer_format_options,
    data_options,
    emit,
    emit_json,
    endpoint_credentials,
    endpoint_graph,
    endpoint_options,
    note_empty_answer,
    parse_params,
    pass_state,
    raw_cells_option,
    timeout_option,
)
from .guard.output import quiet_library_logs


@click.group(cls=GenaiKgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="genai-kg")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Query, draw and export a knowledge graph of generative AI.

    Exit codes: 0 success, 1 a failed check, 2 bad input or usage, 3 an internal error, 4 timed out
    (--timeout), 5 a SPARQL endpoint that failed (unreachable, too slow, or an unusable answer).

    Shell completion: eval "$(_GENAI_KG_COMPLETE=bash_source genai-kg)" (zsh_source, fish_source).
    """
    ctx.ensure_object(State).debug = debug  # GenaiKgGroup.invoke reads --debug to map errors to messages
    if not debug:
        quiet_library_logs()


@main.command("queries")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def queries_command(fmt: str) -> None:
    """List the named queries, with their parameters."""
    from .catalog import list_queries

    catalogue = list_queries()
    if fmt == "json":
        emit_json([q.as_dict() for q in catalogue])
        return
    width = max((len(q.name) for q in catalogue), default=4)
    lines = []
    for q in catalogue:
        params = " ".join(f"{p.name}={p.default}" if p.default is not None else p.name for p in q.params)
        lines.append(f"{q.name.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))
    emit("\n".join(lines) + "\n")


@main.command("query")
@click.argument("name", required=False)
@click.option("--sparql", help="Run this SPARQL text instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY (IRI, CURIE or label).")
@answer_format_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@endpoint_options
@data_options
@timeout_option
@raw_cells_option
@pass_state
def query_command(
    state: State,
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    endpoint: str | None,
    graph: str | None,
    ask_password: bool,
    timeout: float | None,
    raw_cells: bool,
) -> None:
    """Run a named query, a .rq file or --sparql TEXT on the graph, or on a SPARQL endpoint.

    With --endpoint the query runs on the endpoint's triples; the local graph (bundled + --data) only
    resolves parameters given as labels. Credentials come from GENAI_KG_ENDPOINT_USER and
    GENAI_KG_ENDPOINT_PASSWORD, or --ask-password.

    One --format for every answer: SELECT and ASK answers are written as table, csv, tsv, json, xml (the
    W3C SPARQL 1.1 results formats) or md; CONSTRUCT and DESCRIBE answers as ttl (their default), nt, xml,
    json-ld (json too), or as subject/predicate/object rows in table, csv, tsv or md.

    \b
    Examples:
      genai-kg query systems-by-output --param modality=image
      genai-kg query --sparql 'SELECT ?s WHERE { ?s a gkg:LargeLanguageModel }' --format csv
      genai-kg query family-neighbourhood --param family=GAN --format json-ld
      genai-kg query makers --endpoint http://127.0.0.1:7878/query
    """
    if bool(name) == bool(sparql):
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both")
    for flag, given in (("--graph", graph), ("--ask-password", ask_password)):
        if given and not endpoint:
            raise click.UsageError(f"{flag} goes with --endpoint")
    if raw_cells and fmt != "csv":
        raise click.UsageError("--raw-cells goes with --format csv")
    bound = parse_params(params)
    kg = state.load()
    graph, credentials = endpoint_graph(graph), endpoint_credentials(ask_password) if endpoint else None
    result = kg.query(
        name or sparql,  # type: ignore[arg-type]  # one of them is given, checked above
        bound,
        timeout=timeout,
        allow_remote=state.allow_remote,
        endpoint=endpoint,
        graph=graph,
        credentials=credentials,
    )
    if endpoint:
        note_empty_answer(result, endpoint, graph, credentials)
    from .results import format_result

    emit(
        format_result(result, fmt, namespace_manager=kg.graph.namespace_manager, data=kg.graph, raw_cells=raw_cells),
        output,
    )


@main.command("describe")
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@data_options
@timeout_option
@pass_state
def describe_command(state: State, term: str, fmt: str, timeout: float | None) -> None:
    """Everything the graph says about TERM (IRI, CURIE or label), with sources."""
    from .describe import format_description

    description = state.load().describe(term, timeout=timeout)
    if fmt == "json":
        emit_json(description)
    else:
        emit(format_description(description))


@main.command("compare")
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "csv", "json"]), default="table", show_default=True)
@data_options
@timeout_option
@raw_cells_option
@pass_state
def compare_command(state: State, a: str, b: str, fmt: str, timeout: float | None, raw_cells: bool) -> None:
    """The "Key Differences" table for two families, built from the graph.

    \b
    Example:
      genai-kg compare "generative AI" "large language model"
    """
    from .compare import format_comparison

    if raw_cells and fmt != "csv":
        raise click.UsageError("--raw-cells goes with --format csv")
    table = state.load().compare(a, b, timeout=timeout)
    emit(format_comparison(table, fmt, raw_cells=raw_cells))


@main.command("view")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default="genai-kg.html", show_default=True,
    help="The HTML file to write ('-' for stdout).",
)
@click.option("--focus", metavar="TERM", help="Draw TERM's neighbourhood (IRI, CURIE or label).")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Links from --focus (default 1).")
@click.option("--query", "query", metavar="NAME|FILE.rq", help="Draw a query's result instead of the graph.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY of --query.")
@click.option(
    "--layout", type=click.Choice(["auto", "hierarchical", "force"]), default="auto", show_default=True,
    help="hierarchical: the taxonomy as a tree; force: a spring layout; auto: picks one.",
)
@click.option("--title", default=None, help="Page title (default: what is drawn).")
@data_options
@timeout_option
@pass_state
def view_command(
    state: State,
    output: str,
    focus: str | None,
    depth: int | None,
    query: str | None,
    params: tuple[str, ...],
    layout: str,
    title: str | None,
    timeout: float | None,
) -> None:
    """Draw the graph as one self-contained, offline HTML page (search, details, legend).

    \b
    Examples:
      genai-kg view -o taxonomy.html
      genai-kg view --focus GPT-4 --depth 2 -o gpt4.html
      genai-kg view --query systems-by-output --param modality=image -o image-systems.html
    """
    from .guard import time_limit

    if depth is not None and focus is None:
        raise click.UsageError("--depth goes with --focus")
    if params and query is None:
        raise click.UsageError("--param goes with --query")
    bound = parse_params(params)
    kg = state.load()
    with time_limit(timeout, where="view"):
        view = kg.view(
            focus=focus, depth=1 if depth is None else depth, query=query, params=bound, layout=layout, title=title,
            timeout=timeout, allow_remote=state.allow_remote,
        )
    emit(view.html, output)
    click.echo(f"{view.nodes:,} nodes, {view.edges:,} edges; {view.opening}", err=True)


@main.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["ttl", "xml", "json-ld", "nt", "json"]), default=None,
    help="The RDF syntax (default ttl); json is JSON-LD, as for query answers.",
)
@click.option(
    "--graph-format", type=click.Choice(["graphml", "gexf", "cyjs"]), default=None,
    help="Write the drawn node/edge model instead (GraphML, GEXF for Gephi, Cytoscape JSON).",
)
@click.option(
    "--presentation", is_flag=True,
    help="Include the presentation module (colours, shapes, comparison rows) the views read; off by default.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@data_options
@pass_state
def export_command(
    state: State, fmt: str | None, graph_format: str | None, presentation: bool, output: str | None
) -> None:
    """Serialise the graph (bundled + --data) as Turtle, RDF/XML, JSON-LD or N-Triples.

    The bundled domain ontology and your data are written; the presentation module only with --presentation.

    With --graph-format, write the nodes and edges that `view` draws, for Gephi, Cytoscape or networkx.
    """
    if graph_format and (fmt or presentation):
        raise click.UsageError(f"--graph-format writes the drawn model; {'--format' if fmt else '--presentation'}"
                               " goes with an RDF export")
    kg = state.load()
    if graph_format:
        from .views import serialize_network

        emit(serialize_network(kg.to_networkx(), graph_format).decode("utf-8"), output)
        return
    emit(kg.serialize("json-ld" if fmt == "json" else fmt or "ttl", presentation=presentation), output)


@main.command("validate")
@data_options
@timeout_option
@pass_state
def validate_command(state: State, timeout: float | None) -> None:
    """Check the graph and --data against the SHACL shapes: exit 0 conforms, 1 violations, 2 bad input."""
    kg = state.load()
    report = kg.validate(timeout=timeout)
    if report.conforms:
        click.echo(f"conforms: {len(kg)} triples checked against the shapes", err=True)
        return
    emit(report.text)
    click.echo(f"{report.count} violation{'s' if report.count != 1 else ''}", err=True)
    sys.exit(1)


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@data_options
@pass_state
def stats_command(state: State, fmt: str) -> None:
    """Counts by kind: triples, classes, properties, individuals, claims, sources."""
    counts = state.load().stats()
    if fmt == "json":
        emit_json(counts)
    else:
        width = max(len(k) for k in counts)
        emit("".join(f"{k.ljust(width)}  {v}\n" for k, v in counts.items()))


@main.command("docs")
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False), help="The folder to write.")
@data_options
@timeout_option
@pass_state
def docs_command(state: State, output: str, timeout: float | None) -> None:
    """Write browsable HTML documentation of the ontology: an index with the class hierarchy, a page per term.

    Every page opens offline: inline CSS, no script, relative links.
    """
    from .docs import write_docs

    pages = write_docs(state.load().graph, output, timeout=timeout)
    click.echo(f"wrote {len(pages)} pages to {output} (open {output}/index.html)", err=True)


@main.command("push")
@click.option("--endpoint", metavar="QUERY_URL", required=True, help="The store's SPARQL 1.1 query endpoint.")
@click.option("--update-endpoint", metavar="UPDATE_URL", required=True, help="The store's SPARQL 1.1 update endpoint.")
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="The named graph to replace (default: https://w3id.org/genai-kg/graph, which queries read by default).",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=500, show_default=True, help="Triples per request.")
@click.option("--ask-password", is_flag=True, help="Prompt for the user and password (else the environment).")
@data_options
@timeout_option
@pass_state
def push_command(
    state: State,
    endpoint: str,
    update_endpoint: str,
    graph: str | None,
    batch_size: int,
    ask_password: bool,
    timeout: float | None,
) -> None:
    """Load the graph (bundled + --data) into a SPARQL 1.1 store's named graph, replacing what was there.

    Idempotent: the triples go to a staging graph in batches, then MOVE replaces --graph at once. Query it
    with: genai-kg query NAME --endpoint QUERY_URL (add --graph IRI if you pushed to another graph).
    """
    from .endpoint import DEFAULT_GRAPH, push_graph

    kg = state.load()
    report = push_graph(
        kg.graph,
        endpoint,
        update_endpoint,
        graph_iri=graph or DEFAULT_GRAPH,
        batch_size=batch_size,
        timeout=30.0 if timeout is None else timeout,
        credentials=endpoint_credentials(ask_password),
    )
    click.echo(
        f"pushed {report.sent} triples in {report.batches} request{'s' if report.batches != 1 else ''};"
        f" the store holds {report.stored} in <{report.graph}>",
        err=True,
    )


if __name__ == "__main__":  # pragma: no cover
    main()
