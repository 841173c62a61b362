"""The `mpm` Typer application: registers each command group's module."""

from __future__ import annotations

import contextlib
import os
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
    from mpm.cli import change, check, content, forecast, notify, plan, playbook, report, setup, status, views

    check.register(app)
    plan.register(app)
    forecast.register(app)
    status.register(app)
    notify.register(app)
    views.register(app)
    content.register(app)
    report.register(app)
    change.register(app)
    change.register_edits(app)
    playbook.register(app)
    setup.register(app)


_register()


def run() -> None:
    """Run the command and leave at once: no freeing of a plan's objects one by one."""
    from mpm.cli import answers

    answers.enable()
    code: int | str | None = 0
    try:
        app()
    except SystemExit as done:
        code = done.code
    except BrokenPipeError:
        # `mpm plan | head`: the reader left; that is not an error of ours.
        answers.abandon()
        sys.stderr.close()
        code = 0
    except BaseException:
        answers.abandon()
        raise
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    answers.finish(code or 0)
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
    # Tearing down 100,000 tasks' objects takes longer than writing the
    # plan; every file mpm writes is closed before this point.
    os._exit(code or 0)
