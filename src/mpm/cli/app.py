"""The `mpm` Typer application: registers each command group's module."""

from __future__ import annotations

import sys

import typer

from mpm import __version__

app = typer.Typer(
    name="mpm",
    help="Marketing project management over plain-text files.\n\n"
    "Campaigns, SMART goals, tasks and risks live as YAML in git; mpm checks them, "
    "schedules the work and reports on it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mpm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help="Read every file afresh; do not use or fill .mpm-cache/."),
) -> None:
    """Marketing project management over plain-text files."""
    if no_cache:
        import os

        os.environ["MPM_NO_CACHE"] = "1"


def _register() -> None:
    from mpm.cli import change, check, plan, report, setup, status, views

    check.register(app)
    plan.register(app)
    status.register(app)
    views.register(app)
    report.register(app)
    change.register(app)
    change.register_edits(app)
    setup.register(app)


_register()


def run() -> None:
    try:
        app()
    except BrokenPipeError:
        # `mpm plan | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        sys.exit(0)
