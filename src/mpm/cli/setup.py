"""`mpm init`, `mpm schema`, `mpm completion`: starting a workspace, editor and shell support."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mpm.cli.options import as_of_date, fail


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("schema")(schema)
    app.command("completion")(completion)


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace.")] = Path("."),
    name: Annotated[str | None, typer.Option(help="Workspace name (default: the folder's name).")] = None,
) -> None:
    """Start a workspace with a worked example campaign.

    Refuses to overwrite: nothing is written if mpm.yaml or campaigns/ exist.

    Example: mpm init marketing-plan && cd marketing-plan && mpm plan
    """
    from mpm.change.scaffold import conflicts, workspace_files, write_files
    from mpm.render.console import console

    target = directory.resolve()
    title = name or target.name.replace("-", " ").replace("_", " ").title() or "Marketing"
    files = workspace_files(title, as_of_date(None))
    clash = conflicts(target, files)
    if clash:
        fail(f"{directory} already holds {', '.join(clash)}; nothing was written",
             "pick an empty folder, or edit the workspace that is there")
    write_files(target, files)
    con = console()
    con.print(f"Created workspace [bold]{title}[/] in {directory}:", soft_wrap=True)
    for rel in files:
        con.print(f"  {rel}", soft_wrap=True)
    con.print("Next: [bold]mpm check[/], then [bold]mpm plan[/].", soft_wrap=True)


def schema(
    kind: Annotated[str | None, typer.Argument(
        help="workspace, campaign, goals, tasks, risks or assets (default: all of them).")] = None,
    output_dir: Annotated[Path | None, typer.Option(
        "--output-dir", "-o", help="Write one <kind>.schema.json per kind into this folder.")] = None,
) -> None:
    """Print the JSON Schema of a file kind, for editors.

    Point your editor at it with a first line such as
    `# yaml-language-server: $schema=./schemas/tasks.schema.json`.

    Example: mpm schema tasks > schemas/tasks.schema.json
    """
    import json

    from mpm.read.model import SCHEMA_KINDS
    from mpm.read.schema import json_schema
    from mpm.render.console import out

    if kind is not None and kind not in SCHEMA_KINDS:
        fail(f"no file kind '{kind}'", "kinds: " + ", ".join(SCHEMA_KINDS))
    kinds = [kind] if kind else list(SCHEMA_KINDS)
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        for k in kinds:
            (output_dir / f"{k}.schema.json").write_text(
                json.dumps(json_schema(k), indent=2) + "\n", encoding="utf-8")
            out(f"wrote {output_dir / f'{k}.schema.json'}")
        return
    doc = json_schema(kinds[0]) if kind else {k: json_schema(k) for k in kinds}
    out(json.dumps(doc, indent=2))


def completion(shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.")]) -> None:
    """Print the shell completion script for mpm.

    Load it in the shell's start-up file, e.g. in ~/.bashrc:
    `eval "$(mpm completion bash)"`; for fish:
    `mpm completion fish > ~/.config/fish/completions/mpm.fish`.

    Example: mpm completion zsh > ~/.zfunc/_mpm
    """
    from typer.completion import completion_init, get_completion_script

    from mpm.render.console import out

    completion_init()  # the shells' completion classes answer `_MPM_COMPLETE` at run time
    out(get_completion_script(prog_name="mpm", complete_var="_MPM_COMPLETE", shell=shell.value))
