"""The `mpm` Typer application: registers each command group's module."""

from __future__ import annotations

import os
import re
import sys

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from mpm import __version__

_PYDANTIC = [  # Typer checks values with Pydantic; its sentences, as people say them
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^Input should be a valid integer.*"), "{value} is not a whole number"),
    (re.compile(r"^Input should be a valid number.*"), "{value} is not a number"),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), r"it must be at least \1, not {value}"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), r"it must be at most \1, not {value}"),
    (re.compile(r"^Input should be greater than (.+)$"), r"it must be more than \1, not {value}"),
    (re.compile(r"^Input should be less than (.+)$"), r"it must be less than \1, not {value}"),
    (re.compile(r"^Input should be "), "it should be "),
]


def plain_words(message: str, value: object) -> str:
    """A value error in the user's words: no "Input should be…", no "Value error,"."""
    shown = repr(value[0] if isinstance(value, (list, tuple)) and len(value) == 1 else value)
    for pattern, words in _PYDANTIC:
        if pattern.search(message):
            message = pattern.sub(words, message).replace("{value}", shown)
    return message


def _checked(cls):
    """A parameter class whose bad values are told in plain words."""
    def process_value(self, ctx, value):
        try:
            return super(cls, self).process_value(ctx, value)
        except typer.BadParameter as exc:
            exc.message = plain_words(exc.message, value)
            raise

    cls.process_value = process_value
    return cls


@_checked
class _Option(TyperOption):
    """An option as people read it in help: `--campaign CAMPAIGN`, never `<list[str]>`."""

    def display_type_rich(self, ctx):
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None
        # Typer's label reads `<list[str]>`, `<int range>`, `<a|b>`: keep the
        # choices, say N for numbers, name the rest after the option.
        label = str(super().display_type_rich(ctx) or "").strip("<>.")
        if "|" in label:
            return label.removeprefix("list[").removesuffix("]")
        if label.startswith(("int", "float")):
            return "N"
        if label in {"dir", "file", "path"}:
            return label.upper()
        return (self.name or "value").upper()

    def _get_number_range_help_str(self):
        """A number's range in words (`at least 0`), not `x>=0`."""
        low, high = getattr(self, "min", None), getattr(self, "max", None)
        if low is None and high is None:
            return None
        if high is None:
            return f"at least {low}"
        if low is None:
            return f"at most {high}"
        return f"{low} to {high}"


@_checked
class _Argument(TyperArgument):
    """An argument as people read it: `TASK`, `[CAMPAIGN]...`, never `{task}`."""

    @property
    def display_name_raw(self) -> str:
        return (self.metavar or self.name or "value").upper()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx):
        return None


def _plain(param):
    if type(param) is TyperOption:
        param.__class__ = _Option
    elif type(param) is TyperArgument:
        param.__class__ = _Argument
    return param


def _plain_params(command) -> None:
    for param in command.params:
        _plain(param)
    made = command.get_help_option  # -h/--help is made on first use
    command.get_help_option = lambda ctx: made(ctx) and _plain(made(ctx))
    for sub in getattr(command, "commands", {}).values():
        _plain_params(sub)


class _Mpm(TyperGroup):
    """The root group: help without Python types, and plain `mpm` is help (exit 0)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain_params(self)

    def parse_args(self, ctx, args):
        if not args and not ctx.resilient_parsing:
            text = ctx.get_help()
            if text:
                typer.echo(text)
            ctx.exit(0)
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_Mpm,
    name="mpm",
    help="Marketing project management over plain-text files.\n\n"
    "Campaigns, SMART goals, tasks and risks live as YAML in git; mpm checks them, "
    "schedules the work and reports on it.",
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


def _named_command(args: list[str]) -> None:
    """Keep only the command (or command group) the command line names, when it names one:
    Typer builds every registered command's parameters on each run, a twentieth of a second
    that one command does not need. Help, completion and an unknown name keep them all.
    (Every command and group here is registered under an explicit name.)"""
    name = next((a for a in args if not a.startswith("-")), None)
    if name is None or any(a in ("-h", "--help") for a in args[:args.index(name)]):
        return
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands[:] = commands
        app.registered_groups[:] = groups


def run() -> None:
    """Run the command and leave at once: no freeing of a plan's objects one by one.

    How each kind of ending maps to an exit code is `mpm.cli.process`'s.
    """
    from mpm.cli import answers, process

    if os.environ.get("_MPM_COMPLETE"):
        # The shell asks for completions (`mpm completion SHELL` set this up).
        from typer.completion import completion_init

        completion_init()
    else:
        _named_command(sys.argv[1:])
    answers.enable()
    code: int | str | None = 0
    try:
        process.guard_streams()
        app(prog_name="mpm")
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
    from mpm.read.prefetch import abandon

    abandon()  # a parse started early that no load took over
    # Tearing down 100,000 tasks' objects takes longer than writing the
    # plan; every file mpm writes is closed before this point.
    os._exit(code or 0)
