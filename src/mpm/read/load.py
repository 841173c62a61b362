"""Reading a whole workspace: mpm.yaml and every campaign folder.

`load_workspace` never raises on user data: it returns the Workspace it could
build and every diagnostic it met, file by file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpm.read.cache import FileCache, ReadMemo
from mpm.read.compose import MAX_DEPTH, needs_full_parse
from mpm.read.diagnostics import Diagnostic, did_you_mean
from mpm.read.files import DiskFiles, FileSource, RememberedFiles
from mpm.read.model import Asset, Campaign, Goal, Risk, Task, WorkspaceConfig
from mpm.read.names import CAMPAIGN_FILES, WORKSPACE_FILE
from mpm.read.prefetch import (
    CHILD_SHARE,
    Parsed,
    Prefetch,
    adopt,
    campaign_files,
    early_files,
    fork_pays,
    second_core,
)
from mpm.read.source import decode, parse_text
from mpm.read.sourcefile import SourceFile
from mpm.read.validate import validate_file, validate_json_file


@dataclass
class CampaignData:
    """One campaign folder: its records, and where each record was written."""

    id: str
    dir: str
    campaign: Campaign | None = None
    goals: list[Goal] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    # row in its file of each record above, parallel to the lists
    goal_rows: list[int] = field(default_factory=list)
    task_rows: list[int] = field(default_factory=list)
    risk_rows: list[int] = field(default_factory=list)
    asset_rows: list[int] = field(default_factory=list)
    # ids written on rows that did not validate: known, so not "unknown"
    broken_ids: set[str] = field(default_factory=set)
    broken_assets: set[str] = field(default_factory=set)
    # files that could not be read at all: references into them are not judged
    unreadable: set[str] = field(default_factory=set)

    def rel(self, name: str) -> str:
        return f"{self.dir}/{name}"

    _task_index: dict[str, Task] | None = field(default=None, repr=False)

    def task(self, task_id: str) -> Task | None:
        if self._task_index is None:
            self._task_index = {}
            for t in self.tasks:
                self._task_index.setdefault(t.id, t)
        return self._task_index.get(task_id)

    def where(self, kind: str, index: int, *path: str | int, key: bool = False,
              code: str, message: str, hint: str | None = None) -> Diagnostic:
        """A diagnostic at record `index` of `kind` ("tasks", ...), at `path` inside it."""
        rows = self._rows_of(kind)
        src = self.sources[f"{kind}.yaml"]
        return src.diagnostic((rows[index], *path), code, message, hint, key=key)

    def _rows_of(self, kind: str) -> list[int]:
        return {"tasks": self.task_rows, "goals": self.goal_rows, "risks": self.risk_rows,
                "assets": self.asset_rows}[kind]

    def line_of(self, kind: str, index: int) -> int:
        rows = self._rows_of(kind)
        return self.sources[f"{kind}.yaml"].locate((rows[index],))[0]

    def at_campaign(self, *path: str, code: str, message: str, hint: str | None = None) -> Diagnostic:
        return self.sources["campaign.yaml"].diagnostic(path, code, message, hint)


@dataclass
class Workspace:
    root: Path
    config: WorkspaceConfig | None
    config_source: SourceFile | None
    campaigns: list[CampaignData]

    @property
    def team_ids(self) -> set[str]:
        return {p.id for p in self.config.team} if self.config else set()

    def campaign(self, campaign_id: str) -> CampaignData | None:
        index = self.__dict__.get("_index")
        if index is None or len(index) != len(self.campaigns):
            index = self.__dict__["_index"] = {c.id: c for c in self.campaigns}
        return index.get(campaign_id)

    def resolve(self, ref: str, home: CampaignData) -> tuple[CampaignData, Task] | None:
        """The task `ref` names, seen from campaign `home`."""
        camp, task_id = split_ref(ref, home.id)
        c = home if camp == home.id else self.campaign(camp)
        if c is None:
            return None
        t = c.task(task_id)
        return (c, t) if t else None

    def counts(self) -> dict[str, int]:
        return {
            "campaigns": len(self.campaigns),
            "tasks": sum(len(c.tasks) for c in self.campaigns),
            "goals": sum(len(c.goals) for c in self.campaigns),
            "risks": sum(len(c.risks) for c in self.campaigns),
        }


def split_ref(ref: str, home: str) -> tuple[str, str]:
    if "/" in ref:
        camp, _, task_id = ref.partition("/")
        return camp, task_id
    return home, ref


def load_workspace(root: Path, *, fast: bool = True, cache: FileCache | None = None,
                   files: FileSource | None = None,
                   memo: ReadMemo | None = None) -> tuple[Workspace, list[Diagnostic]]:
    """Every file of the workspace at `root`, validated.

    `files` reads them from somewhere other than the disk (a git revision, an
    edit not yet written); `cache` skips files whose bytes it has seen;
    `memo` hands out again what this process already read from the same bytes.
    """
    root = root.resolve()
    files = files or early_files(root) or DiskFiles(root)
    diagnostics: list[Diagnostic] = []
    config_src, config, found = read_records(files, WORKSPACE_FILE, WORKSPACE_FILE, fast=fast, cache=cache,
                                          memo=memo)
    diagnostics += found

    campaigns: list[CampaignData] = []
    folders = files.campaign_folders()
    prefetch = _second_core(root, files, folders, cache) if fast else None
    try:
        for folder, problem in folders:
            if problem:
                diagnostics.append(problem)
                continue
            camp, found = _load_campaign(files, folder, fast=fast, cache=cache, memo=memo, prefetch=prefetch)
            diagnostics += found
            campaigns.append(camp)
    finally:
        if prefetch is not None:
            prefetch.close()
    if cache is not None:
        cache.save()
    return Workspace(root, config, config_src, campaigns), diagnostics


def _second_core(root: Path, files: FileSource, folders: list, cache: FileCache | None) -> Prefetch | None:
    """Most of a large workspace's campaign files parsed by a child (`read.prefetch`), on a
    cold load from disk: with a filled cache there is little left to parse. A child the entry
    point started before the imports (`prefetch.start_early`) is taken over."""
    disk = isinstance(files, DiskFiles) or (isinstance(files, RememberedFiles) and isinstance(files.base, DiskFiles))
    early = adopt(root)
    if early is not None and disk:
        return early
    if early is not None:
        early.close()
    if not disk or (cache is not None and not cache.empty()) or not second_core():
        return None
    rels = campaign_files(files, folders)
    if fork_pays(root, rels, (CHILD_SHARE - 1) / CHILD_SHARE):
        return Prefetch(root, rels)
    return None


def read_records(files: FileSource, rel: str, kind: str, *, fast: bool = True, cache: FileCache | None = None,
                 memo: ReadMemo | None = None, prefetch: Prefetch | None = None
                 ) -> tuple[SourceFile | None, Any, list[Diagnostic]]:
    """(source, records, diagnostics) of one file; see `validate.validate_file`."""
    # the bytes a child already read from the disk (`read.prefetch`), else the file's own
    raw = prefetch.bytes_of(rel) if prefetch is not None and type(files) is DiskFiles else None
    if raw is None:
        raw, problems = files.read(rel)
        if raw is None:
            return None, None, problems
    if memo is not None:
        found = memo.get(rel, kind, raw)
        if found is None:
            found = _read_records(rel, kind, raw, fast, cache, prefetch)
            memo.put(rel, kind, raw, found)
        src, records, problems = found
        return src, records, list(problems)
    return _read_records(rel, kind, raw, fast, cache, prefetch)


def _read_records(rel: str, kind: str, raw: bytes, fast: bool, cache: FileCache | None,
                  prefetch: Prefetch | None = None) -> tuple[SourceFile | None, Any, list[Diagnostic]]:
    key = None
    if cache is not None:
        key = cache.key(kind, raw)
        hit = cache.get(key)
        text = decode(raw) if hit is not None else None
        if text is not None:
            records = _valid(rel, kind, text, hit)  # type: ignore[arg-type]
            if records is not None:  # else the full read below words the problems
                return SourceFile.unread(rel, text), records, []
    taken = prefetch.take(rel, raw) if prefetch is not None else None
    if taken is not None and taken.json is not None:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        records = _valid(rel, kind, text, taken)
        if records is not None:
            if key is not None:
                cache.put(key, None, taken.body)  # type: ignore[union-attr]
            return SourceFile.unread(rel, text), records, []
        import orjson  # not valid: the data itself, to word what is wrong

        taken.data = orjson.loads(taken.json)
        if needs_full_parse(taken.data, MAX_DEPTH, text):
            taken = None  # JSON is sent unlooked-at for what only refused records can hold
    src, problems = parse_text(rel, raw, fast=fast,
                               parsed=(taken is not None, taken.data if taken is not None else None))
    if src is None:
        return None, None, problems
    records, found = validate_file(src, kind)
    problems += found
    if key is not None and not problems:
        cache.put(key, src.data, taken.body if taken is not None else None)  # type: ignore[union-attr]
    if not problems:
        # The records hold what is needed; the raw data tree is large and is
        # parsed again only if someone asks for it.
        src = SourceFile.unread(rel, src.text)
    return src, records, problems


def _valid(rel: str, kind: str, text: str, parsed: Parsed) -> Any | None:
    """The records of a file whose data was parsed already (by a child, or kept in the cache),
    when it has nothing to report; else None."""
    if parsed.json is not None:
        return validate_json_file(kind, parsed.json)
    src = SourceFile.unread(rel, text)
    src.data = parsed.data
    records, found = validate_file(src, kind)
    return None if found else records


def _load_campaign(files: FileSource, cid: str, *, fast: bool, cache: FileCache | None,
                   memo: ReadMemo | None = None, prefetch: Prefetch | None = None
                   ) -> tuple[CampaignData, list[Diagnostic]]:
    folder = f"campaigns/{cid}"
    camp = CampaignData(id=cid, dir=folder)
    diagnostics: list[Diagnostic] = []
    present = files.files_in(cid)
    if "campaign.yaml" not in present:
        diagnostics.append(Diagnostic(folder, 1, 1, "E011", f"campaign '{cid}' has no campaign.yaml",
                                      "every campaign folder needs one; `mpm new campaign` writes it"))
    for name in sorted(present):
        if name.endswith((".yaml", ".yml")) and name not in CAMPAIGN_FILES:
            diagnostics.append(Diagnostic(f"{folder}/{name}", 1, 1, "E013",
                                          f"mpm does not know the file '{name}'",
                                          did_you_mean(name, list(CAMPAIGN_FILES))
                                          or "campaign files are " + ", ".join(CAMPAIGN_FILES)))
    for name in CAMPAIGN_FILES:
        if name not in present:
            continue
        src, records, found = read_records(files, f"{folder}/{name}", name, fast=fast, cache=cache, memo=memo,
                                           prefetch=prefetch)
        diagnostics += found
        if src is None:
            camp.unreadable.add(name)
            continue
        camp.sources[name] = src
        if name == "campaign.yaml":
            camp.campaign = records
            continue
        kind = name.removesuffix(".yaml")
        rows: list[int] = [row for row, _ in records]
        setattr(camp, kind, [rec for _, rec in records])
        setattr(camp, f"{kind[:-1]}_rows", rows)
        if found:
            bad = _ids_of_bad_rows(src.data, set(rows))
            if kind == "assets":
                camp.broken_assets |= bad
            else:
                camp.broken_ids |= bad
            if not isinstance(src.data, list | None):
                camp.unreadable.add(name)
    return camp, diagnostics


def _ids_of_bad_rows(data: Any, good: set[int]) -> set[str]:
    if not isinstance(data, list):
        return set()
    return {item["id"] for i, item in enumerate(data)
            if i not in good and isinstance(item, dict) and isinstance(item.get("id"), str)}
