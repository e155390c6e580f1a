"""``genai-kg sources``: check the graph's sentence anchors against the source documents, and account for
every sentence of them (a thin shell over genai_kg.sources)."""

from __future__ import annotations

import sys

import click

from .cliopts import PathText, State, data_options, emit_rows, pass_state, row_format_option

__all__ = ["sources_group"]

def _fail(problems: list[str]) -> None:
    from .guard.output import escape_controls

    for line in problems:
        click.echo(escape_controls(line), err=True)
    click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
    sys.exit(1)


@click.group("sources")
def sources_group() -> None:
    """Sentence anchors: check the graph's locators against the source documents, and account for every
    sentence of the documents."""


@sources_group.command("check")
@click.argument("directory", type=PathText(file_okay=False, path_type=str))
@row_format_option
@data_options
@pass_state
def check_command(state: State, directory: str, fmt: str) -> None:
    """Resolve every locator in the graph (bundled + --data) against the documents in DIRECTORY and print, per
    claim, the sentence(s) it points at. Exit 1, one line per problem, when a locator does not resolve, falls
    outside its section, starts or ends inside a sentence, or points into a changed document."""
    from .sources import check

    report = check(state.load().graph, directory)
    names = ["claim", "source", "section", "start", "end", "sentences", "text"]
    emit_rows(names, [[row[n] for n in names] for row in report.rows], fmt)
    if report.missing:
        click.echo(f"not in {directory}, so not checked: {', '.join(report.missing)}", err=True)
    if not report.ok:
        _fail(report.problems)


@sources_group.command("coverage")
@click.argument("directory", type=PathText(file_okay=False, path_type=str))
@click.option("--html", "html_dir", type=PathText(file_okay=False), help="Write one HTML page per document here.")
@click.option(
    "--set-aside", "set_aside", multiple=True, type=PathText(dir_okay=False, path_type=str),
    help="Another set-aside file (repeatable; the bundled ontology/set-aside.tsv is always read).",
)
@click.option("--all", "show_all", is_flag=True, help="List every sentence, not only those left unaccounted.")
@row_format_option
@data_options
@pass_state
def coverage_command(
    state: State, directory: str, html_dir: str | None, set_aside: tuple[str, ...], show_all: bool, fmt: str
) -> None:
    """Split each document in DIRECTORY that the graph names into sentences and report the claims anchored in
    each. Exit 1 unless every sentence anchors a claim or is set aside with a reason."""
    from .sources import BUNDLED_SET_ASIDE, coverage, read_set_aside

    rows = list(read_set_aside(BUNDLED_SET_ASIDE)) if BUNDLED_SET_ASIDE.exists() else []
    for path in set_aside:
        rows.extend(read_set_aside(path))
    report = coverage(state.load().graph, directory, rows)
    names = ["file", "sentence", "start", "end", "claims", "set_aside"]
    table = []
    for doc in report.documents:
        for s in doc.sentences:
            if show_all or not s.accounted:
                aside = ""
                if s.set_aside is not None:
                    aside = s.set_aside.reason + (f": sentence {s.repeats}" if s.repeats else "")
                    if s.set_aside.reason == "out-of-scope":
                        aside += f": {s.set_aside.detail}"
                table.append([doc.file, s.number, s.start, s.end, len(s.claims), aside])
    if fmt != "table" or table:
        emit_rows(names, table, fmt)
    for doc in report.documents:
        anchored = sum(bool(s.claims) for s in doc.sentences)
        aside_count = sum(1 for s in doc.sentences if not s.claims and s.set_aside is not None)
        click.echo(
            f"{doc.file}: {len(doc.sentences)} sentences, {anchored} anchor claims, {aside_count} set aside,"
            f" {len(doc.sentences) - doc.accounted} unaccounted",
            err=True,
        )
    share = 100.0 * report.accounted / report.total if report.total else 100.0
    click.echo(f"{report.accounted} of {report.total} sentences accounted for ({share:.1f}%)", err=True)
    if html_dir:
        from .sources.page import write_coverage_pages

        pages = write_coverage_pages(report, html_dir)
        click.echo(f"wrote {len(pages)} pages to {html_dir}", err=True)
    unaccounted = report.total - report.accounted
    if report.problems or unaccounted:
        missing = [f"{unaccounted} sentences neither anchor a claim nor are set aside"] if unaccounted else []
        _fail(report.problems + missing)
