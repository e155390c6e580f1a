"""The ``release`` and ``diff`` commands: versioned release artefacts and what changed between versions."""

from __future__ import annotations

import click

from .cliopts import PathText, emit
from .formats import CHANGE_REPORT_FORMATS

__all__ = ["register"]


@click.command("release")
@click.argument("version")
@click.option("-o", "--output", required=True, type=PathText(file_okay=False), help="The folder to write.")
@click.option(
    "--prior", metavar="OLD",
    help="The release before: its folder, a file or git:REV; the release notes are the diff against it.",
)
def release_command(version: str, output: str, prior: str | None) -> None:
    """Write release VERSION (e.g. 2026-12-07): full and base ontology as RDF/XML, OFN, Turtle and JSON-LD,
    the SSSOM mapping sets and release notes, all at once into the folder."""
    from .release import write_release

    done = write_release(version, output, prior=prior)
    counts = ", ".join(f"{n} {kind}" for kind, n in done.notes.counts().items()) or "no changes"
    click.echo(f"wrote {len(done.files)} files to {output} (release notes: {counts})", err=True)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(CHANGE_REPORT_FORMATS), default="md", show_default=True)
@click.option("-o", "--output", type=PathText(dir_okay=False), help="Write to FILE instead of stdout.")
def diff_command(old: str, new: str, fmt: str, output: str | None) -> None:
    """What changed from OLD to NEW (files, release folders or git:REV for this repository's ontology/):
    terms, labels, hierarchy, claims, sources, anchors, disagreements, mappings, with counts."""
    from .diff import diff_graphs
    from .release import read_version

    result = diff_graphs(read_version(old, argument="old"), read_version(new, argument="new"), old_name=old,
                         new_name=new)
    emit(result.to_json() if fmt == "json" else result.to_markdown(), output)
    click.echo(f"{result.triples_added} triples added, {result.triples_removed} removed;"
               f" {len(result.unexplained)} not explained", err=True)


def register(group: click.Group) -> None:
    """Add ``release`` and ``diff`` to the command line."""
    group.add_command(release_command)
    group.add_command(diff_command)
