"""The ``serve`` command: the explorer and a read-only SPARQL endpoint on this machine (see genai_kg.serve)."""

from __future__ import annotations

import click

from .cliopts import EndpointURL, State, data_options, endpoint_credentials, endpoint_graph, pass_state, timeout_option

__all__ = ["serve_command"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Another Host name to answer (repeatable); any other is refused, against DNS rebinding.")
@click.option("--endpoint", metavar="QUERY_URL", default=None, type=EndpointURL(),
              help="Serve this SPARQL endpoint instead of the loaded graph (credentials from the environment).")
@click.option("--graph", "graph", default=None, metavar="IRI|default",
              help="With --endpoint: the graph to read (default: the one push writes).")
@click.option("--title", default="genai-kg", show_default=True, help="The explorer page's title.")
@click.option("--workers", type=click.IntRange(0, 64), default=3, show_default=True,
              help="Guarded query workers forked at start (0: fork a child per query, slower by 45-100 ms).")
@data_options
@timeout_option
@pass_state
def serve_command(
    state: State, host: str, port: int, allow_hosts: tuple[str, ...], endpoint: str | None, graph: str | None,
    title: str, workers: int, timeout: float | None,
) -> None:
    """Serve the explorer at / and a read-only SPARQL 1.1 endpoint at /sparql (GET and POST).

    Every query goes through the same guard as `genai-kg query` (no SERVICE, LOAD or update; --timeout; row
    and size caps). Only requests naming this host are answered; no CORS headers are sent.

    \b
    Examples:
      genai-kg serve
      genai-kg serve --data my.ttl --store oxigraph:./store --port 8080
      genai-kg serve --endpoint http://127.0.0.1:7878/query
    """
    from .serve import INSTALL_HINT, check_listen, create_app, serve

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise click.ClickException(f"serve needs Starlette and uvicorn: {INSTALL_HINT}") from None
    check_listen(host, port)  # before the load: a port in use is one line, not a traceback after "serving"
    kg = state.load()
    index = None
    if not endpoint:
        index = _index(kg)
    hosts = tuple(dict.fromkeys([host, *(("localhost", "127.0.0.1") if host in ("127.0.0.1", "localhost") else ()),
                                 *allow_hosts]))
    app = create_app(kg, endpoint=endpoint, graph=endpoint_graph(graph), credentials=endpoint_credentials(False),
                     timeout=timeout, hosts=hosts, index=index, title=title, workers=workers)
    click.echo(f"serving http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops", err=True)
    serve(app, host=host, port=port)


def _index(kg):
    """The search index: in a file beside an ``oxigraph:DIR`` store (rebuilt when its manifest changes), else
    in memory."""
    from .serve.search import SearchIndex, index_path

    if kg.store.startswith("oxigraph:"):
        from .stores.manifest import read_manifest

        location = kg.store.split(":", 1)[1]
        manifest = read_manifest(location)
        return SearchIndex(kg.graph, index_path(location), fingerprint=manifest)
    return SearchIndex(kg.graph)
