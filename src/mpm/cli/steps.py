"""The pipeline every reading command runs, in one visible place:

    workspace_root → check_root (read, then check) → load_valid → build_plan

`plan_side` is how the commands over git revisions (diff, history) plan each
side they compare: one function, so every side is planned the same way.

Commands call these steps, then one or two domain functions, then a renderer.
"""

from __future__ import annotations

from pathlib import Path

from mpm.cli.options import fail, notice


def workspace_root(workspace: Path | None) -> Path:
    from mpm.read.files import WorkspaceNotFound, find_root
    from mpm.read.names import WORKSPACE_FILE

    if workspace is not None:
        if not workspace.is_dir():
            what = "is not a folder" if workspace.exists() else "does not exist"
            fail(f"the workspace folder {workspace} {what}",
                 "pass the folder that holds mpm.yaml, or start one with `mpm init DIR`")
        if not (workspace / WORKSPACE_FILE).is_file():
            fail(f"{workspace} is not an mpm workspace: it has no {WORKSPACE_FILE}",
                 "create one with `mpm init`")
        return workspace.resolve()
    try:
        return find_root(Path.cwd())
    except WorkspaceNotFound as exc:
        fail(str(exc), "run `mpm init` to start one, or pass --workspace DIR")


def cache_allowed(root: Path) -> bool:
    """Whether the cache may be used for `root`; a notice says why not when the folder is unsafe."""
    from mpm.read import cache

    if not cache.enabled():
        return False
    reason = cache.refusal(root)
    if reason is not None:
        notice(f"the cache is off for this workspace: {reason}",
               f"delete {cache.FOLDER} and keep it out of git: mpm makes it itself")
        return False
    return True


def check_root(root: Path, *, replay: bool = False, warnings: bool = True):  # -> (Workspace, [Diagnostic])
    """Load and check the workspace at `root`.

    `replay`: the command only reads the workspace and writes to stdout and
    stderr, so a recorded answer may stand in for the whole run (see answers).
    `warnings`: False when only the errors matter (the checks that only warn are skipped).
    """
    from mpm.check.checks import check_workspace

    files, cache = _sources(root, replay)
    return check_workspace(root, cache=cache, files=files, warnings=warnings)


def _sources(root: Path, replay: bool):  # -> (FileSource | None, FileCache | None)
    """Where a load reads from: the answer recorder when the run may be replayed, and the cache."""
    files = None
    allowed = cache_allowed(root)
    if replay and allowed:
        from mpm.cli import answers

        files = answers.replay_or_record(root)
    from mpm.read.cache import FileCache

    return files, FileCache(root) if allowed else None


def load_valid(workspace: Path | None, *, replay: bool = False, nothing_was: str = "planned"):  # -> Workspace
    """The workspace, or exit 2 with its errors printed: plans (and edits) need valid files.

    `nothing_was`: what the command did not do, in the closing line ("planned",
    "formatted", "written").
    """
    from mpm.read.diagnostics import Severity

    root = workspace_root(workspace)
    ws, diagnostics = check_root(root, replay=replay, warnings=False)  # only errors stop a plan
    _stop_on_errors([d for d in diagnostics if d.severity is Severity.ERROR], nothing_was)
    return ws


def _stop_on_errors(errors: list, nothing_was: str) -> None:  # errors: [Diagnostic]
    if errors:
        from mpm.render.diagnostics import print_text

        print_text(errors, stderr=True)
        fail(f"{len(errors)} error{'s' if len(errors) != 1 else ''} in the workspace; nothing was {nothing_was}",
             "fix the files first; `mpm check` lists every problem")


def load_and_plan(workspace: Path | None, as_of: str | None, level: bool | None = None, *,
                  replay: bool = False, on_network=None):  # -> (Workspace, Plan)
    """`load_valid`, then the plan as of `as_of` (`build_plan`). On a large workspace planned
    without levelling the checks run on a second core while the plan is made (`check.aside`);
    nothing is shown before they have answered, and errors stop the command as they would
    have before the plan. `on_network`: `build_plan`'s, told the §3 network before it is dated."""
    from mpm.check.aside import load_checking_aside
    from mpm.cli.options import as_of_date
    from mpm.plan.schedule import build_plan, levelling_on
    from mpm.read.diagnostics import Severity

    root = workspace_root(workspace)
    files, cache = _sources(root, replay)
    ws, diagnostics, aside = load_checking_aside(
        root, cache=cache, files=files, plans_without_levelling=lambda ws: not levelling_on(ws, level))
    if aside is None:
        _stop_on_errors([d for d in diagnostics if d.severity is Severity.ERROR], "planned")
        return ws, build_plan(ws, as_of_date(as_of), level=level, on_network=on_network)
    try:
        try:
            day = as_of_date(as_of)
        except Exception:  # a bad --as-of: the workspace's errors come first, as they always have
            _stop_on_errors(aside.errors(), "planned")
            raise
        failed = None
        try:
            plan = build_plan(ws, day, level=level, on_network=on_network)
        except Exception as exc:  # a plan of files with errors may fail: the checks say why
            failed = exc
        _stop_on_errors(aside.errors(), "planned")
    finally:
        aside.stop()
    if failed is not None:
        raise failed
    return ws, plan


def known_campaigns(ws, campaign: list[str] | None) -> list[str]:  # ws: Workspace
    """The campaigns asked for, or exit 2 naming the one that does not exist."""
    from mpm.read.diagnostics import did_you_mean

    known = [c.id for c in ws.campaigns]
    for c in campaign or []:
        if c not in known:
            fail(f"no campaign '{c}'", did_you_mean(c, known) or "campaigns: " + ", ".join(known))
    return list(campaign or [])


def person_hint(ws, person: str) -> str:  # ws: Workspace
    """Who `person` may have meant: a close id, someone of that name, or the whole team."""
    from mpm.read.diagnostics import did_you_mean

    team = ws.config.team if ws.config else []
    by_name = [p.id for p in team if p.name and person.lower() in p.name.lower().split()]
    if by_name:
        return "did you mean " + ", ".join(f"'{i}'" for i in by_name) + "?"
    ids = [p.id for p in team]  # in the order mpm.yaml lists them, the same on every run
    return did_you_mean(person, ids) or "the team: " + ", ".join(ids)


def known_person(ws, person: str | None, option: str = "--person") -> str | None:  # ws: Workspace
    """The person asked for, or exit 2 when they are not on the team."""
    if person is not None and person not in ws.team_ids:
        fail(f"{option}: '{person}' is not on the team", person_hint(ws, person))
    return person


def annotation_prefix(root: Path) -> str:
    """The workspace's folder inside the repository ("" or "sub/dir/"): GitHub reads an
    annotation's `file=` from the repository root, not from the workspace."""
    import os

    base = os.environ.get("GITHUB_WORKSPACE")
    if base:
        try:
            rel = root.resolve().relative_to(Path(base).resolve()).as_posix()
            return "" if rel == "." else rel + "/"
        except ValueError:
            pass  # the workspace is outside the checkout: ask git
    from mpm.change.gitio import GitError, find_repo

    try:
        return find_repo(root).prefix
    except GitError:
        return ""


def plan_side(ws, as_of, level: bool | None = None):  # (Workspace, date) -> Plan
    """The plan of one side of a comparison (a revision, the index, the working tree).

    `level`: levelled within people's hours (default: that side's `planning.level`).
    """
    from mpm.plan.schedule import build_plan

    return build_plan(ws, as_of, level=level)


def only_person(campaigns: list, person: str | None) -> list:  # [CampaignPlan] -> [CampaignPlan]
    """The campaigns' plans narrowed to `person`'s tasks (campaigns left without any are dropped)."""
    if person is None:
        return campaigns
    out = [c.of_person(person) for c in campaigns]
    return [c for c in out if c.tasks]
