"""The `mpm` Typer application: registers each command group's module."""

from __future__ import annotations

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
    from mpm.cli import (
        change,
        check,
        content,
        forecast,
        notify,
        plan,
        playbook,
        report,
        revisions,
        setup,
        status,
        views,
    )

    check.register(app)
    plan.register(app)
    forecast.register(app)
    status.register(app)
    notify.register(app)
    views.register(app)
    content.register(app)
    report.register(app)
    revisions.register(app)
    change.register_edits(app)
    playbook.register(app)
    setup.register(app)


_register()


def run() -> None:
    """Run the command and leave at once: no freeing of a plan's objects one by one.

    How each kind of ending maps to an exit code is `mpm.cli.process`'s.
    """
    from mpm.cli import answers, process

    answers.enable()
    code: int | str | None = 0
    try:
        process.guard_streams()
        app()
    except SystemExit as done:
        code = done.code
    except process.ReaderLeft:  # `mpm plan | head`: the reader left; not an error of ours
        answers.abandon()
        code = 0
    except process.CannotWrite as exc:
        answers.abandon()
        process.say(f"error: cannot write output: {exc.reason}")
        code = 2
    except KeyboardInterrupt:
        answers.abandon()
        code = 130
    except OSError as exc:
        answers.abandon()
        code = process.refused_write(exc) if process.a_write_refused(exc) else process.crashed(exc)
    except Exception as exc:
        answers.abandon()
        code = process.crashed(exc)
    if isinstance(code, str):
        process.say(code)
        code = 1
    answers.finish(code or 0)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except process.ReaderLeft:
            pass
        except (process.CannotWrite, OSError, ValueError):
            if not code and stream is sys.stdout:
                process.say("error: cannot write output")
                code = 2
    # Tearing down 100,000 tasks' objects takes longer than writing the
    # plan; every file mpm writes is closed before this point.
    os._exit(code or 0)
