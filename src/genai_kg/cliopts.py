"""The command line's shell, shared by every command: how library errors become one-line messages with
flag names, the options that load data or reach endpoints, and how output is written. Commands live in
:mod:`genai_kg.cli`; this module keeps them short."""

from __future__ import annotations

import functools
import os
import sys

import click

from .answers import FORMATS, format_help
from .errors import GenaiKgError, Spelling
from .guard.output import escape_controls

STORE_HELP = (
    "Where triples live: memory (rdflib), oxigraph (in memory), oxigraph:DIR (on disk, reused by later runs),"
    " or auto: oxigraph without --data or once --data passes 1 MB, else memory."
)


class CommandError(click.ClickException):
    """A library error shown as one line, exit code 2 (bad input)."""

    exit_code = 2


#: API arguments spelled as this command line's flags and arguments (``params.modality`` -> ``--param
#: modality``, ``allow_remote`` -> ``--allow-remote``), with what a user types to lift a refusal.
CLI_SPELLING = Spelling(
    param="--param {name}",
    names={"a": "A", "b": "B", "term": "TERM", "query": "NAME"},
    remedies={
        "allow_remote": "use --allow-remote",
        "timeout": "raise it with --timeout",
        "list_queries": "run 'genai-kg queries'",
        "store": "use --store oxigraph",
    },
    default=lambda argument: "--" + argument.replace("_", "-"),
)


def flag_for(argument: str) -> str:
    """An API argument as the command line spells it: ``params.modality`` -> ``--param modality``."""
    return CLI_SPELLING.argument(argument)


def cli_message(exc: GenaiKgError) -> str:
    """A library error's one line, with its fields spelled as this command line's flags."""
    return exc.format(CLI_SPELLING)


class GenaiKgGroup(click.Group):
    """Turns library errors into one-line messages and exit codes, without a traceback."""

    def invoke(self, ctx: click.Context):
        debug = "--debug" in sys.argv[1:] or bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except GenaiKgError as exc:
            if debug:
                raise
            from .urls import redact  # here: --help needs no URL parsing

            raise CommandError(escape_controls(redact(cli_message(exc)))) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (`| head`): stop quietly
            raise click.exceptions.Exit(0) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except UnicodeEncodeError as exc:  # an argument's undecodable bytes, or a JSON "\udcff", on its way out
            if debug or "surrogate" not in str(exc):
                raise
            char = exc.object[exc.start] if isinstance(exc.object, str) else "?"
            raise CommandError(
                f"text holding a lone surrogate (U+{ord(char):04X}: bytes that are not UTF-8 in an argument, or an"
                " escape in JSON) cannot be written as UTF-8; refused"
            ) from None
        except Exception as exc:  # noqa: BLE001 - a bug should still read as one line
            if debug:
                raise
            from .urls import redact

            message = escape_controls(redact(" ".join(str(exc).split()))) or type(exc).__name__
            error = click.ClickException(
                f"internal error: {type(exc).__name__}: {message} (run with --debug for the traceback)"
            )
            error.exit_code = 3
            raise error from None


def data_options(func):
    """``--data``, ``--store``, ``--allow-remote`` and ``--progress``: how a command loads the graph."""

    @click.option(
        "--data",
        "data",
        multiple=True,
        type=PathText(dir_okay=False, path_type=str),
        help="An RDF file to merge with the bundled graph (repeatable; format by extension).",
    )
    @click.option("--store", default="auto", show_default=True, help=STORE_HELP)
    @click.option(
        "--allow-remote",
        is_flag=True,
        help="Allow SERVICE, FROM, remote JSON-LD contexts and other fetches (off by default).",
    )
    @click.option(
        "--progress/--no-progress",
        default=None,
        help="Show progress on stderr while big files load and big views draw (default: when stderr is a terminal).",
    )
    @functools.wraps(func)
    def wrapper(*args, data, store, allow_remote, progress, **kwargs):
        def loader():
            from .graph import load

            return load(data, store=store, allow_remote=allow_remote, progress=progress)

        kwargs["load_graph"] = loader
        kwargs["allow_remote"] = allow_remote
        return func(*args, **kwargs)

    return wrapper


def endpoint_options(func):
    """``--endpoint``, ``--graph`` and ``--ask-password``: run on a SPARQL 1.1 endpoint instead."""
    func = click.option(
        "--ask-password",
        is_flag=True,
        help="Prompt for the endpoint's user and password (else GENAI_KG_ENDPOINT_USER/_PASSWORD, if set).",
    )(func)
    func = click.option(
        "--graph",
        metavar="IRI",
        default=None,
        help="The endpoint's graph to read: by default the one push writes; 'default' reads its default graph.",
    )(func)
    return click.option("--endpoint", metavar="QUERY_URL", help="Run on this SPARQL 1.1 query endpoint.")(func)


def endpoint_credentials(ask_password: bool):
    """Credentials from a prompt (--ask-password) or the environment; never from the command line."""
    from .endpoint import USER_ENV, Credentials, credentials_from_env

    if not ask_password:
        return credentials_from_env()
    import os

    user = os.environ.get(USER_ENV) or click.prompt("Endpoint user", err=True)
    password = click.prompt("Endpoint password", hide_input=True, err=True)
    return Credentials(user, password)


def endpoint_graph(graph: str | None) -> str | None:
    """--graph as the API takes it: unset is the graph push writes, 'default' the endpoint's default graph."""
    from .vocab import DEFAULT_GRAPH

    return DEFAULT_GRAPH if graph is None else None if graph == "default" else graph


def note_empty_answer(answer, endpoint: str, graph: str | None, credentials, *, timeout: float) -> None:
    """One stderr line when an endpoint's answer is empty because the graph read holds nothing but others do.

    The follow-up queries share ``timeout``, what is left of the user's own: none is sent when nothing is.
    """
    if answer.kind == "ask" or answer.count or timeout <= 0:
        return
    from .endpoint import graphs_holding_data

    found = graphs_holding_data(endpoint, graph, credentials=credentials, timeout=timeout)
    if found:
        read = f"<{graph}>" if graph else "the default graph"
        others = ", ".join(f"<{name}>" for name in found)
        note = f"note: {read} at {endpoint} holds no triples; its named graphs with data include {others}"
        click.echo(escape_controls(f"{note} (read one with --graph IRI)"), err=True)  # graph names are data


def _refuse(param, message: str):
    """A bad option value as one ``Error: --flag: ...`` line, exit 2 (click's own usage error adds three
    lines of usage around it)."""
    flag = max(param.opts, key=len) if param is not None and param.opts else "value"
    raise CommandError(f"{flag}: {message}")


class Seconds(click.ParamType):
    """A positive, finite number of seconds, at most :data:`MAX_SECONDS`: ``nan``, ``inf`` and ``1e400`` are
    floats to Python, but no clock (``SIGALRM``, a timer thread) can be set to them."""

    name = "seconds"

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                _refuse(param, f"{escape_controls(str(value)[:40])!r} is not a number of seconds")
        if not 0 < number <= MAX_SECONDS:  # also false for nan
            _refuse(param, f"{escape_controls(str(value)[:40])!r} is not between 0 and {MAX_SECONDS:,} seconds")
        return number


#: The longest --timeout: a year (a timer beyond the platform's time_t is an OverflowError).
MAX_SECONDS = 365 * 24 * 3600


class PathText(click.Path):
    """A click Path whose text the operating system can take: not empty (``docs -o ''`` wrote into the
    current folder), no NUL byte, no name longer than 255 bytes, at most 4,096 bytes in all (beyond these,
    opening it raises ValueError or OSError, not a refusal)."""

    def convert(self, value, param, ctx):
        text = os.fsdecode(value) if isinstance(value, bytes) else str(value)
        if not text:
            _refuse(param, "an empty path names no file")
        if "\0" in text:
            _refuse(param, "a path cannot hold a NUL character")
        encoded = text.encode("utf-8", "surrogatepass")
        if len(encoded) > 4096 or any(len(part) > 255 for part in encoded.split(b"/")):
            shown = escape_controls(text[:40])
            _refuse(param, f"{shown!r}... is longer than a path can be (a name at most 255 bytes, all 4,096)")
        return super().convert(value, param, ctx)


def timeout_option(func):
    return click.option(
        "--timeout",
        type=Seconds(),
        default=None,
        help="Stop the work after this many seconds (default 30); a query is killed, even inside Oxigraph.",
    )(func)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``KEY=VALUE`` strings into a dict; a malformed one is a usage error naming it."""
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = value
    return params


def emit(text: str, output: str | None = None) -> None:
    """Print to stdout (control characters from data escaped when it is a terminal), or write ``output``
    atomically."""
    if output and output != "-":
        from .fileio import write_text_atomic

        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        if sys.stdout.isatty():
            text = escape_controls(text, keep="\n\t")
        click.echo(text, nl=not text.endswith("\n"))


def emit_json(value) -> None:
    """Print ``value`` as indented JSON (json is imported here, so ``--help`` does not load it)."""
    import json

    emit(json.dumps(value, indent=2, ensure_ascii=False))


def answer_format_options(func):
    """``--format`` for every answer, and ``--rdf-format``, its older name: one ``fmt`` (None: the answer's own).

    Both given and different is a usage error naming both; the name is checked against the answer's kind once
    the query has run (an RDF syntax asked of a SELECT is the library's one-line error, naming --format).
    """
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help=format_help())
    @click.option(
        "--rdf-format",
        type=click.Choice(FORMATS),
        default=None,
        help="An alias of --format, kept for older scripts (it used to set the CONSTRUCT/DESCRIBE output).",
    )
    @functools.wraps(func)
    def wrapper(*args, fmt, rdf_format, **kwargs):
        if fmt and rdf_format and fmt != rdf_format:
            message = f"--format {fmt} and --rdf-format {rdf_format} disagree; give one"
            raise click.UsageError(f"{message} (--rdf-format is an alias of --format)")
        return func(*args, fmt=fmt or rdf_format, **kwargs)

    return wrapper


def raw_cells_option(func):
    return click.option(
        "--raw-cells", is_flag=True,
        help="CSV: write cells as they are (by default a cell starting = + - @ gets a leading ' for spreadsheets).",
    )(func)
