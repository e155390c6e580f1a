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
import time
from typing import TYPE_CHECKING

import click

from . import __version__
from .cli_release import register as register_release_commands
from .cli_serve import serve_command
from .cliopts import (
    EndpointURL,
    GenaiKgGroup,
    PathText,
    State,
    answer_format_options,
    data_options,
    emit,
    emit_json,
    emit_rows,
    endpoint_credentials,
    endpoint_graph,
    endpoint_options,
    note_empty_answer,
    parse_params,
    pass_state,
    raw_cells_option,
    record_format_option,
    row_format_option,
    sources_option,
    timeout_option,
)
from .formats import EXPORT_FORMATS, GRAPH_FORMATS
from .guard.output import quiet_library_logs

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import NamedQuery


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


def _params_text(query: NamedQuery) -> str:
    return " ".join(f"{p.name}={p.default}" if p.default is not None else p.name for p in query.params)


@main.command("queries")
@row_format_option
def queries_command(fmt: str) -> None:
    """List the named queries, with their parameters (NAME=DEFAULT, or NAME where there is no default)."""
    from .catalog import list_queries

    catalogue = list_queries()
    rows = [[q.name, q.title, _params_text(q) or None, q.form, q.description] for q in catalogue]

    def table() -> str:
        width = max((len(q.name) for q in catalogue), default=4)
        return "".join(f"{q.name.ljust(width)}  {q.title}" + (f"  [{_params_text(q)}]" if q.params else "") + "\n"
                       for q in catalogue)

    emit_rows(["name", "title", "params", "form", "description"], rows, fmt, table=table)


def _complete_query_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of a query NAME: the named queries."""
    from .catalog import list_queries

    return [q.name for q in list_queries() if q.name.startswith(incomplete)]


def _complete_params(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of --param: ``KEY=`` for each parameter the named query declares."""
    from .catalog import get_query
    from .errors import GenaiKgError

    # a trailing --param with no value yet leaves the NAME among the unparsed arguments
    name = ctx.params.get("name") or ctx.params.get("query") or next(iter(ctx.args), None)
    if not name:
        return []
    try:
        declared = get_query(name).params
    except GenaiKgError:
        return []
    return [f"{p.name}=" for p in declared if f"{p.name}=".startswith(incomplete)]


def _note_defaults(name: str | None, given: dict[str, str]) -> None:
    """One stderr line per parameter left out and filled from the query's default ("modality: image (the
    default)"), so an answer never rests on a value the user did not see."""
    if not name:
        return
    from .catalog import get_query
    from .guard.output import escape_controls

    for p in get_query(name).params:
        if p.name not in given and p.default is not None:
            click.echo(escape_controls(f"{p.name}: {p.default} (the default)"), err=True)


@main.command("query")
@click.argument("name", required=False, shell_complete=_complete_query_names)
@click.option("--sparql", help="Run this SPARQL text instead of a named query.")
@click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY (IRI, CURIE or label).",
    shell_complete=_complete_params,
)
@answer_format_options
@click.option("-o", "--output", type=PathText(dir_okay=False), help="Write to FILE instead of stdout.")
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

    One --format for every answer (see --format below); a table fits the terminal's width.

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
    started = time.monotonic()
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
        left = (30.0 if timeout is None else timeout) - (time.monotonic() - started)
        note_empty_answer(result.answer, endpoint, graph, credentials, timeout=left)
    from .answers import render

    text = render(result.answer, fmt, prefixes=kg.graph.namespace_manager, labels=kg.graph, raw_cells=raw_cells)
    _note_defaults(name, bound)  # once the answer stands: a refused query or format stays one line
    emit(text, output)


@main.command("describe")
@click.argument("term")
@record_format_option
@sources_option("Show the sentence(s) each locator points at, read from the source documents in DIR.")
@data_options
@timeout_option
@pass_state
def describe_command(state: State, term: str, fmt: str, sources_dir: str | None, timeout: float | None) -> None:
    """Everything the graph says about TERM (IRI, CURIE or label), with sources and their locators.

    A nested record (statements, each with its sources), not rows: --format table or json only.
    """
    from .describe import format_description

    description = state.load().describe(term, timeout=timeout, sources=sources_dir)
    if fmt == "json":
        emit_json(description)
    else:
        emit(format_description(description))


@main.command("compare")
@click.argument("a")
@click.argument("b")
@row_format_option
@data_options
@timeout_option
@raw_cells_option
@pass_state
def compare_command(state: State, a: str, b: str, fmt: str, timeout: float | None, raw_cells: bool) -> None:
    """The "Key Differences" table for two families, built from the graph.

    Other formats than table are rows of the aspect and each family's cell (the families' labels as variables,
    a space as _).

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
    "-o", "--output", type=PathText(dir_okay=False), default="genai-kg.html", show_default=True,
    help="The HTML file to write ('-' for stdout).",
)
@click.option("--focus", metavar="TERM", help="Draw TERM's neighbourhood (IRI, CURIE or label).")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Links from --focus (default 1).")
@click.option(
    "--query", "query", metavar="NAME|FILE.rq", help="Draw a query's result instead of the graph.",
    shell_complete=_complete_query_names,
)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY of --query.",
              shell_complete=_complete_params)
@click.option(
    "--layout", type=click.Choice(["auto", "hierarchical", "force"]), default="auto", show_default=True,
    help="hierarchical: the taxonomy as a tree; force: a spring layout; auto: picks one.",
)
@click.option("--title", default=None, help="Page title (default: what is drawn).")
@click.option(
    "--sources", "sources", type=PathText(file_okay=False), default=None, metavar="DIR",
    help="The source documents: a claim's panel shows the sentences it is anchored to (else no document text;"
    " not with --endpoint).",
)
@click.option(
    "--endpoint", metavar="QUERY_URL", default=None, type=EndpointURL(),
    help="Write a page that reads this SPARQL endpoint from the browser (it must send CORS headers).",
)
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
    sources: str | None,
    endpoint: str | None,
    timeout: float | None,
) -> None:
    """Draw the graph as one self-contained, offline HTML page (search, details, legend).

    \b
    Examples:
      genai-kg view -o taxonomy.html
      genai-kg view --focus GPT-4 --depth 2 -o gpt4.html
      genai-kg view --query systems-by-output --param modality=image -o image-systems.html
    """
    from .guard import drawing_bound, time_limit
    from .views.html import big_page_note

    if depth is not None and focus is None:
        raise click.UsageError("--depth goes with --focus")
    if params and query is None:
        raise click.UsageError("--param goes with --query")
    if sources and endpoint:
        raise click.UsageError("--sources goes with a page that carries the graph, not --endpoint (its claims come "
                               "from the endpoint; the page shows their anchors as character offsets)")
    bound = parse_params(params)
    if endpoint:
        from .views.remote import remote_page

        kg = state.load()
        start = str(kg.resolve_term(focus)) if focus else None
        emit(remote_page(kg.graph, endpoint, title=title or f"genai-kg: {endpoint}", focus=start), output)
        click.echo(f"a page that reads {endpoint} from the browser", err=True)
        return
    if focus is None and query is None:  # the whole graph: read as it is parsed, without a store when it can be
        from .graph import view_files

        view = view_files(state.data, store=state.store, title=title, layout=layout, sources=sources,
                          allow_remote=state.allow_remote, progress=state.progress, timeout=timeout)
    else:
        kg = state.load()
        # --timeout bounds queries; the drawing reads every triple, so by default it has a bound of its own
        seconds, where = drawing_bound(len(kg.graph), timeout)
        with time_limit(seconds, where=where):
            view = kg.view(
                focus=focus, depth=1 if depth is None else depth, query=query, params=bound, layout=layout,
                title=title, timeout=timeout, allow_remote=state.allow_remote, sources=sources,
            )
    emit(view.html, output)
    click.echo(f"{view.nodes:,} nodes, {view.edges:,} edges; {view.opening}", err=True)
    too_big = big_page_note(view.nodes, len(view.html))
    if too_big:
        click.echo(too_big, err=True)


@main.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
    help="The RDF syntax (default ttl; json is JSON-LD, as for query answers), or OWL functional syntax (ofn) or"
    " OWL/XML (owx).",
)
@click.option(
    "--graph-format", type=click.Choice(GRAPH_FORMATS), default=None,
    help="Write the drawn node/edge model instead (GraphML, GEXF for Gephi, Cytoscape JSON).",
)
@click.option(
    "--presentation", is_flag=True,
    help="Include the presentation module (colours, shapes, comparison rows) the views read; off by default.",
)
@click.option("-o", "--output", type=PathText(dir_okay=False), help="Write to FILE instead of stdout.")
@data_options
@pass_state
def export_command(
    state: State, fmt: str | None, graph_format: str | None, presentation: bool, output: str | None
) -> None:
    """Serialise the graph (bundled + --data) as Turtle, RDF/XML, JSON-LD, N-Triples, OWL functional syntax or
    OWL/XML.

    The bundled domain ontology and your data are written; the presentation module only with --presentation.
    RDF/XML, OFN and OWX (what OWL tools read) write anonymous individuals, such as a citation's text
    selector, as skolem IRIs (.well-known/genid), so that every OWL tool keeps the assertions on them.

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
@click.option(
    "--fail-on", type=click.Choice(["violation", "warning", "info", "none"]), default="violation", show_default=True,
    help="Exit 1 when a finding has this severity or a worse one.",
)
@row_format_option
@data_options
@timeout_option
@pass_state
def validate_command(state: State, fail_on: str, fmt: str, timeout: float | None) -> None:
    """Check the graph and --data against the SHACL shapes and the QC checks: a report of findings with their
    severity (violation, warning, info); exit 0 passes, 1 a finding at --fail-on or worse, 2 bad input."""
    from .qc import fails, format_findings

    kg = state.load()
    report = kg.validate(timeout=timeout)
    if report.findings:
        emit(format_findings(report.findings, fmt))
    counts = {level: sum(f.severity == level for f in report.findings) for level in ("violation", "warning", "info")}
    summary = ", ".join(f"{n} {level}{'s' if n != 1 and level != 'info' else ''}" for level, n in counts.items())
    if fails(report.findings, fail_on):
        click.echo(f"{summary} (fails on {fail_on})", err=True)
        sys.exit(1)
    click.echo(f"conforms: {len(kg)} triples checked against the shapes ({summary})", err=True)


@main.command("stats")
@row_format_option
@data_options
@pass_state
def stats_command(state: State, fmt: str) -> None:
    """Counts by kind: triples, classes, properties, individuals, claims, sources."""
    counts = state.load().stats()
    width = max(len(k) for k in counts)
    emit_rows(["kind", "count"], [[k, v] for k, v in counts.items()], fmt,
              table=lambda: "".join(f"{k.ljust(width)}  {v}\n" for k, v in counts.items()))


@main.command("docs")
@click.option("-o", "--output", "output", required=True, type=PathText(file_okay=False), help="The folder to write.")
@sources_option("Quote the sentence(s) each locator points at, read from the source documents in DIR.")
@data_options
@timeout_option
@pass_state
def docs_command(state: State, output: str, sources_dir: str | None, timeout: float | None) -> None:
    """Write browsable HTML documentation of the ontology: an index with the class hierarchy, a page per term.

    Every page opens offline: inline CSS, no script, relative links. Sources show their locators; the
    sentences themselves only with --sources.
    """
    from .docs import write_docs

    pages = write_docs(state.load().graph, output, timeout=timeout, sources=sources_dir)
    click.echo(f"wrote {len(pages)} pages to {output} (open {output}/index.html)", err=True)


@main.command("push")
@click.option("--endpoint", metavar="QUERY_URL", required=True, type=EndpointURL(),
              help="The store's SPARQL 1.1 query endpoint.")
@click.option("--update-endpoint", metavar="UPDATE_URL", required=True, type=EndpointURL(),
              help="The store's SPARQL 1.1 update endpoint.")
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


main.add_command(__import__("genai_kg.cli_sources", fromlist=["sources_group"]).sources_group)
main.add_command(serve_command)  # genai-kg serve (cli_serve.py)

register_release_commands(main)

if __name__ == "__main__":  # pragma: no cover
    main()
