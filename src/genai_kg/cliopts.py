"""The command line's shell, shared by every command: the state commands share (:class:`State` on click's
context, received through :data:`pass_state`), how library errors become one-line messages with flag
names and exit codes (:data:`EXIT_CODES`), the options that load data or reach endpoints, and how output
is written. Commands live in :mod:`genai_kg.cli` (or in a module of their own, registered there with one
``main.add_command(...)`` line); this module keeps them short.

A command that loads the graph::

    @click.command("count")
    @data_options
    @pass_state
    def count_command(state: State) -> None:
        emit(f"{len(state.load())}\n")
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .answers import FORMATS, RECORD_FORMATS, ROW_FORMATS, format_help, row_format_help
from .errors import EndpointError, GenaiKgError, Spelling, TimedOut
from .guard.output import escape_controls

if TYPE_CHECKING:  # pragma: no cover
    from .answer_form import Answer
    from .endpoint import Credentials
    from .graph import KnowledgeGraph

F = TypeVar("F", bound=Callable[..., Any])

STORE_HELP = (
    "Where triples live: oxigraph (the default; Oxigraph in memory), oxigraph:DIR (on disk, reused by later"
    " runs), or memory (rdflib's store: keeps each literal's lexical form as written, e.g. 1.50, but its"
    " engine fails on some valid queries). auto is oxigraph."
)

#: Exit codes, documented in README ("The command line"). 0 success; 1 a check failed (``validate``).
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2  #: bad input or usage: a file, a query, a parameter, a flag
EXIT_INTERNAL = 3  #: a bug: an exception the package did not expect
EXIT_TIMEOUT = 4  #: the work did not finish within --timeout (other limits, like the row cap, are bad input)
EXIT_ENDPOINT = 5  #: a SPARQL endpoint could not be reached, did not answer in time, or answered unusably
EXIT_INTERRUPTED = 130  #: Ctrl-C
#: Library errors -> exit codes: the most specific class in an error's ancestry wins; anything else is 2.
EXIT_CODES: dict[type, int] = {
    GenaiKgError: EXIT_BAD_INPUT,
    TimedOut: EXIT_TIMEOUT,
    EndpointError: EXIT_ENDPOINT,
}


def exit_code(exc: GenaiKgError) -> int:
    """The exit code for a library error, by :data:`EXIT_CODES`."""
    for cls in type(exc).__mro__:
        code = EXIT_CODES.get(cls)
        if code is not None:
            return code
    return EXIT_BAD_INPUT


class CommandError(click.ClickException):
    """A library error shown as one line, with the exit code :data:`EXIT_CODES` gives it."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[misc]  # click declares it a class variable; ours varies by error


class State:
    """What the root command and the loading options (:func:`data_options`) share with every command.

    A plain class (no dataclass): ``--help`` does not pay for the dataclasses module.
    """

    def __init__(self) -> None:
        self.debug = False
        self.data: tuple[str, ...] = ()
        self.store = "oxigraph"
        self.allow_remote = False
        self.progress: bool | None = None

    def load(self) -> KnowledgeGraph:
        """The graph the options ask for: the bundled ontology plus ``--data``, on ``--store``."""
        from .graph import load

        return load(self.data, store=self.store, allow_remote=self.allow_remote, progress=self.progress)


#: Hands a command the :class:`State` on click's context (made if the command runs on its own).
pass_state = click.make_pass_decorator(State, ensure=True)


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

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))  # the root's own flag, parsed by click before this runs
        try:
            return super().invoke(ctx)
        except GenaiKgError as exc:
            if debug:
                raise
            from .urls import redact  # here: --help needs no URL parsing

            raise CommandError(escape_controls(redact(cli_message(exc))), exit_code(exc)) from None
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
            raise CommandError(
                f"internal error: {type(exc).__name__}: {message} (run with --debug for the traceback)", EXIT_INTERNAL
            ) from None


def _to_state(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback that puts the option's value on the context's :class:`State` instead of passing it
    to the command (the option is declared with ``expose_value=False``)."""

    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            setattr(ctx.ensure_object(State), name, tuple(value) if isinstance(value, tuple | list) else value)
        return value

    return callback


def data_options(func: F) -> F:
    """``--data``, ``--store``, ``--allow-remote`` and ``--progress``: how a command loads the graph. Their
    values go to the context's :class:`State`; the command calls ``state.load()``."""
    options = [
        click.option(
            "--data",
            multiple=True,
            type=PathText(dir_okay=False, path_type=str),
            expose_value=False,
            callback=_to_state("data"),
            help="An RDF file to merge with the bundled graph (repeatable; format by extension).",
        ),
        click.option("--store", default="oxigraph", show_default=True, expose_value=False,
                     callback=_to_state("store"), help=STORE_HELP),
        click.option(
            "--allow-remote",
            is_flag=True,
            expose_value=False,
            callback=_to_state("allow_remote"),
            help="Allow SERVICE, FROM, remote JSON-LD contexts and other fetches (off by default).",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            expose_value=False,
            callback=_to_state("progress"),
            help="Show progress on stderr while big files load and big views draw (default: when stderr is a"
            " terminal).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def endpoint_options(func: F) -> F:
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
    return click.option(
        "--endpoint", metavar="QUERY_URL", type=EndpointURL(), help="Run on this SPARQL 1.1 query endpoint."
    )(func)


def endpoint_credentials(ask_password: bool) -> Credentials | None:
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


def note_empty_answer(
    answer: Answer, endpoint: str, graph: str | None, credentials: Credentials | None, *, timeout: float
) -> None:
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


class EndpointURL(click.ParamType):
    """An http(s) URL with a host, a valid port and no credentials (:func:`genai_kg.urls.check_http_url`), for
    every ``--endpoint``: ``view`` wrote a password given in the URL into its page, ``serve`` used one."""

    name = "url"

    def convert(self, value, param, ctx):
        from .errors import ParameterError
        from .urls import check_http_url

        try:
            return check_http_url(str(value))
        except ParameterError as exc:
            _refuse(param, exc.reason)


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


def timeout_option(func: F) -> F:
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
            # CSV's CRLF line ends show as line ends (a CR before LF moves nothing a reader sees); a lone CR,
            # which could write over what a line showed, is spelled out with the other controls
            text = escape_controls(text.replace("\r\n", "\n"), keep="\n\t")
        click.echo(text, nl=not text.endswith("\n"))


def emit_json(value: Any) -> None:
    """Print ``value`` as indented JSON (json is imported here, so ``--help`` does not load it)."""
    import json

    emit(json.dumps(value, indent=2, ensure_ascii=False))


def answer_format_options(func: F) -> F:
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
    def wrapper(*args: Any, fmt: str | None, rdf_format: str | None, **kwargs: Any) -> Any:
        if fmt and rdf_format and fmt != rdf_format:
            message = f"--format {fmt} and --rdf-format {rdf_format} disagree; give one"
            raise click.UsageError(f"{message} (--rdf-format is an alias of --format)")
        return func(*args, fmt=fmt or rdf_format, **kwargs)

    return wrapper  # type: ignore[return-value]


def row_format_option(func: F) -> F:
    """``--format`` for a command whose output is rows: the registry's row formats, ``table`` by default."""
    return click.option(
        "--format", "fmt", type=click.Choice(ROW_FORMATS), default="table", show_default=True, help=row_format_help()
    )(func)


def record_format_option(func: F) -> F:
    """``--format`` for a command whose output is a nested record, not rows: ``table`` or ``json``
    (:data:`genai_kg.answers.RECORD_FORMATS`, which says why only those)."""
    return click.option(
        "--format", "fmt", type=click.Choice(RECORD_FORMATS), default="table", show_default=True,
        help="table (for a person) or json (the whole record; not rows, so no results format).",
    )(func)


def emit_rows(
    names: list[str], rows: list[list[Any]], fmt: str, *, table: Callable[[], str] | None = None,
    raw_cells: bool = False,
) -> None:
    """Print ``rows`` under ``names`` in ``fmt``, a row format of the registry, as an answer
    (:meth:`genai_kg.answer_form.Answer.from_values`) rendered by :func:`genai_kg.answers.render`.

    ``table`` writes the command's own text for ``--format table`` where it has one a person knows.
    """
    if fmt == "table" and table is not None:
        emit(table())
        return
    from .answer_form import Answer
    from .answers import render

    emit(render(Answer.from_values(names, rows), fmt, raw_cells=raw_cells))


def sources_option(help: str) -> Callable[[F], F]:
    """``--sources DIR``: the folder of source documents whose sentences a command quotes (``help`` says how)."""
    return click.option("--sources", "sources_dir", type=PathText(file_okay=False), help=help)


def raw_cells_option(func: F) -> F:
    return click.option(
        "--raw-cells", is_flag=True,
        help="CSV: write cells as they are (by default a cell starting = + - @ gets a leading ' for spreadsheets).",
    )(func)
