"""A large workspace loaded with a second core is the workspace a serial load gives."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mpm.read import prefetch
from mpm.read.beside import second_core
from mpm.read.load import load_workspace

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _view(ws, diagnostics):
    camps = [(c.id, c.campaign, c.tasks, c.goals, c.risks, c.assets, c.task_rows, sorted(c.sources),
              {k: s.text for k, s in c.sources.items()}) for c in ws.campaigns]
    return camps, [(d.file, d.line, d.col, d.code, d.message) for d in diagnostics]


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("big") / "ws"
    generate(root, 3000, assets=300)
    # problems in the second half, which the child hands back to the parent to word
    camp = sorted((root / "campaigns").iterdir())[-1]
    tasks = camp / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("duration: ", "duration: x", 1), encoding="utf-8")
    (camp / "risks.yaml").write_bytes(b"- id: r0\n  title: \x1b[31mred\n")
    (sorted((root / "campaigns").iterdir())[-2] / "goals.yaml").write_text("- id: [a, b]: c\n", encoding="utf-8")
    # nested past the limit, in flow and in block style: data the child sends as JSON unlooked-at,
    # which the parent's records refuse and the full parse words
    for back, name, text in ((-3, "risks.yaml", "- id: r0\n  title: " + "[" * 70 + "]" * 70 + "\n"),
                             (-4, "assets.yaml", "".join(f"{'  ' * i}- a:\n" for i in range(70)))):
        (sorted((root / "campaigns").iterdir())[back] / name).write_text(text, encoding="utf-8")
    return root


def test_the_second_core_gives_the_serial_load(big, monkeypatch):
    forked = []
    real = prefetch.Prefetch.__init__

    def spy(self, root, rels):
        forked.append(len(rels))
        real(self, root, rels)

    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    monkeypatch.setattr(prefetch.Prefetch, "__init__", spy)
    parallel = _view(*load_workspace(big))
    total = sum(1 for _ in (big / "campaigns").glob("*/*.yaml"))
    assert forked and total * 0.7 < forked[0] < total * 0.8  # the child took three folders in four
    monkeypatch.setattr(prefetch, "MIN_BYTES", 10**12)
    serial = _view(*load_workspace(big))
    assert parallel == serial
    assert any(d[3] == "E015" for d in serial[1]) and any(d[3] == "E103" or d[3].startswith("E1") for d in serial[1])
    assert sorted(d[0].split("/")[-1] for d in serial[1] if d[3] == "E014") == ["assets.yaml", "risks.yaml"]


def test_the_parent_reads_from_disk_only_what_the_child_did_not(big, monkeypatch):
    """The child's bytes stand for the file: the parent reads the workspace file, its own
    share of the folders, and nothing of the child's share, and loads what a serial load does."""
    from mpm.read import files

    read: list[str] = []
    real = files.read_bytes
    monkeypatch.setattr(files, "read_bytes", lambda root, rel: read.append(rel) or real(root, rel))
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    parallel = _view(*load_workspace(big))
    folders = sorted(p.name for p in (big / "campaigns").iterdir())
    theirs = {f"campaigns/{name}/" for i, name in enumerate(folders) if prefetch.childs_share(i)}
    assert "mpm.yaml" in read and any(r.startswith("campaigns/") for r in read)
    assert not [r for r in read if r.rpartition("/")[0] + "/" in theirs]
    monkeypatch.setattr(prefetch, "MIN_BYTES", 10**12)
    read.clear()
    assert _view(*load_workspace(big)) == parallel
    assert len(read) == sum(1 for _ in big.glob("campaigns/*/*.yaml")) + 1


def _took(job, rel: str, raw: bytes) -> tuple[bool, object]:
    """(whether the child's parse of exactly `raw` was taken, its data)."""
    import orjson

    got = job.take(rel, raw)
    if got is None:
        return False, None
    return True, got.data if got.json is None else orjson.loads(got.json)


def test_bytes_that_changed_after_the_child_read_them_are_parsed_again(tmp_path):
    (tmp_path / "a.yaml").write_text("- {id: one}\n", encoding="utf-8")
    job = prefetch.Prefetch(tmp_path, ["a.yaml"])
    try:
        assert _took(job, "a.yaml", b"- {id: two}\n") == (False, None)
        assert _took(job, "b.yaml", b"") == (False, None)
    finally:
        job.close()


def test_a_child_not_asked_is_stopped_and_reaped(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    job = prefetch.Prefetch(tmp_path, ["a.yaml"] * 2000)
    pid = job.pid
    job.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_a_file_the_child_does_not_hold_is_answered_without_waiting(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    job = prefetch.Prefetch(tmp_path, ["a.yaml"])
    waits = []
    real = prefetch.select.select
    monkeypatch.setattr(prefetch.select, "select", lambda *a: waits.append(a) or real(*a))
    try:
        assert _took(job, "mpm.yaml", b"x: 1\n") == (False, None)
        assert not waits  # the child's answer was not waited for
        assert _took(job, "a.yaml", b"x: 1\n") == (True, {"x": 1})
    finally:
        job.close()


def test_frames_are_taken_as_they_come_and_a_cut_stream_leaves_the_rest_to_the_parent(tmp_path, monkeypatch):
    names = [f"f{i:03}.yaml" for i in range(40)]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"- {{id: t{i}}}\n", encoding="utf-8")
    (tmp_path / "f007.yaml").write_bytes(b"- {id: \x1b}\n")  # a control character: the parent's to word
    job = prefetch.Prefetch(tmp_path, names)
    try:
        assert _took(job, names[0], b"- {id: t0}\n") == (True, [{"id": "t0"}])
        assert _took(job, "f007.yaml", b"- {id: \x1b}\n") == (False, None)
        assert _took(job, names[39], b"- {id: t39}\n") == (True, [{"id": "t39"}])
    finally:
        job.close()
    monkeypatch.setattr(prefetch, "FRAME_FILES", 4)

    whole = prefetch._parse_all

    def cut(root, rels):  # a child that dies after its first frame
        yield next(whole(root, rels))
        os._exit(1)

    monkeypatch.setattr(prefetch, "_parse_all", cut)
    job = prefetch.Prefetch(tmp_path, names)
    try:
        assert _took(job, names[3], b"- {id: t3}\n") == (True, [{"id": "t3"}])
        assert _took(job, names[4], b"- {id: t4}\n") == (False, None)  # never sent: parsed by the parent
        assert job.fd == -1 and job.pid == 0  # the stream's end seen, the child reaped
    finally:
        job.close()


def test_work_beside_comes_back_or_is_none():
    import numpy as np

    from mpm.read.beside import Beside

    job = Beside(lambda: {"runs": np.arange(5, dtype=np.int32), "n": 3})
    got = job.result()
    assert got["n"] == 3 and got["runs"].tolist() == [0, 1, 2, 3, 4]
    assert job.pid == 0 and job.fd == -1  # reaped, closed

    def fails():
        raise RuntimeError("boom")

    assert Beside(fails).result() is None
    slow = Beside(lambda: __import__("time").sleep(30))
    pid = slow.pid
    slow.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


_READIED: list[int] = []  # set in a standby's child by its preparation


def _ready() -> None:
    _READIED.append(os.getpid())


def _job(x: int, y: int) -> tuple[int, int, list[int]]:
    return x * y, os.getpid(), _READIED


@pytest.mark.skipif(not second_core(), reason="needs fork and a second core")
def test_a_standby_gets_ready_first_and_runs_the_job_handed_to_it_later():
    import select

    from mpm.read.beside import Beside, Standby

    standby = Standby(_ready)
    later = Beside(lambda: __import__("time").sleep(60))  # forked after: holds a copy of the job pipe
    try:
        assert standby.hand(_job, 6, 7)
        # the job is read by its length, not to the pipe's end (which `later` keeps open)
        assert select.select([standby.fd], [], [], 20)[0], "the standby never answered"
        value, pid, readied = standby.result()
    finally:
        later.stop()
    assert value == 42 and pid != os.getpid() and readied == [pid]  # its preparation, in the child
    assert _READIED == [] and standby.pid == 0 and standby.fd == -1 and standby.jobs == -1
    assert not standby.hand(_job, 1, 1)  # one job


@pytest.mark.skipif(not second_core(), reason="needs fork and a second core")
def test_a_standby_that_is_gone_or_never_used_gives_nothing_and_is_reaped():
    from mpm.read.beside import Standby

    def broken() -> None:
        raise RuntimeError("no numpy here")

    gone = Standby(broken)
    assert not gone.hand(_job, 6, 7) or gone.result() is None  # refused, or taken by a child that died
    local = Standby(_ready)
    assert not local.hand(lambda: 42)  # a job that cannot be pickled is done here
    assert local.pid == 0 and local.jobs == -1
    unused = Standby(_ready)
    pid = unused.pid
    unused.stop()
    assert unused.pid == 0 and unused.jobs == -1
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert not unused.hand(_job, 6, 7)


def test_a_parse_started_before_the_imports_is_taken_over_by_the_load(big, monkeypatch):
    """The entry point forks the parse of every campaign file before the command's imports;
    the load takes that child and its listing of the folders over and gives what a serial
    load gives."""
    from mpm.cli import early
    from mpm.read import files

    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    monkeypatch.setattr(prefetch, "second_core", lambda: True)
    monkeypatch.setenv("MPM_NO_CACHE", "1")
    early.start(["plan", "--workspace", str(big), "--format", "json"])
    assert len(prefetch._early) == 1
    _, listing, started = prefetch._early[0]
    total = sum(1 for _ in (big / "campaigns").glob("*/*.yaml"))
    assert len(started.mine) == total  # every campaign file: the imports give the child a head start
    taken, listed = [], []
    real, real_listing = prefetch.Prefetch.take, files.DiskFiles.files_in
    monkeypatch.setattr(prefetch.Prefetch, "take", lambda self, rel, raw: taken.append(self) or real(self, rel, raw))
    monkeypatch.setattr(files.DiskFiles, "files_in", lambda self, c: listed.append(self) or real_listing(self, c))
    parallel = _view(*load_workspace(big))
    assert taken and all(job is started for job in taken) and not prefetch._early
    assert listed and all(source is listing for source in listed)  # the folders were listed once, early
    monkeypatch.setattr(prefetch, "MIN_BYTES", 10**12)
    assert parallel == _view(*load_workspace(big))


def test_a_parse_started_early_is_stopped_when_nothing_loads(big, monkeypatch):
    from mpm.cli import early

    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    monkeypatch.setattr(prefetch, "second_core", lambda: True)
    monkeypatch.setenv("MPM_NO_CACHE", "1")
    for args in (["plan", "--help", "--workspace", str(big)], ["fmt", "--workspace", str(big)],
                 ["plan", "--workspace", str(big / "nowhere")]):
        early.start(args)
        assert not prefetch._early, args
    early.start(["status", f"--workspace={big}"])
    pid = prefetch._early[0][2].pid
    prefetch.abandon()
    assert not prefetch._early
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def test_the_early_parse_starts_from_a_thousand_tasks_not_for_a_small_workspace(big, monkeypatch):
    """The fork before the imports is cheap: it pays below the load's own threshold (the
    fixture's 3,000 tasks are under MIN_BYTES), but not for a workspace the size of the example."""
    from mpm.cli import early

    monkeypatch.setattr(prefetch, "second_core", lambda: True)
    monkeypatch.setenv("MPM_NO_CACHE", "1")
    size = sum(p.stat().st_size for p in (big / "campaigns").glob("*/*.yaml"))
    assert prefetch.EARLY_MIN_BYTES <= size < prefetch.MIN_BYTES
    early.start(["check", "--workspace", str(big)])
    assert len(prefetch._early) == 1
    prefetch.abandon()
    early.start(["check", "--workspace", str(ROOT / "examples" / "acme")])
    assert not prefetch._early


def test_mpm_started_on_a_large_workspace_prints_what_a_serial_run_prints(tmp_path_factory):
    """The real entry point, on a workspace large enough for every second core mpm uses (the
    early parse, the checks beside the plan, the forecast's halves, status findings beside):
    the same bytes as a run on one core."""
    import subprocess

    root = tmp_path_factory.mktemp("large") / "ws"
    generate(root, 12_000, assets=1200)
    env = {**os.environ, "MPM_NO_CACHE": "1", "COLUMNS": "100", "NO_COLOR": "1"}
    one_core = ("import os, sys, runpy; os.cpu_count = lambda: 1; sys.argv = ['mpm', *sys.argv[1:]]; "
                "runpy.run_module('mpm', run_name='__main__')")
    for args in (["plan", "--format", "json"], ["report", "--format", "md"], ["check"],
                 ["status", "--fail-on", "never"], ["status", "--format", "json", "--fail-on", "never"]):
        full = [*args, "--workspace", str(root), *(["--as-of", "2026-11-16"] if args[0] != "check" else [])]
        two = subprocess.run([sys.executable, "-m", "mpm", *full], capture_output=True, env=env)
        one = subprocess.run([sys.executable, "-c", one_core, *full], capture_output=True, env=env)
        assert two.returncode == one.returncode and two.returncode in (0, 1), two.stderr[-2000:]
        assert two.stdout == one.stdout and two.stderr == one.stderr, args


def test_the_child_reads_only_plain_files_no_larger_than_mpm_reads(tmp_path):
    """A symlink (even to a file outside the workspace), a pipe or an oversized file is left to
    the parent, which refuses it in its own words; the child never opens what it points to."""
    from mpm.read.source import MAX_FILE_BYTES

    root = tmp_path / "ws"
    root.mkdir()
    outside = tmp_path / "secret.yaml"
    outside.write_text("- {id: nope}\n", encoding="utf-8")
    (root / "plain.yaml").write_text("- {id: yes}\n", encoding="utf-8")
    (root / "link.yaml").symlink_to(outside)
    os.mkfifo(root / "pipe.yaml")
    (root / "big.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    frames = list(prefetch._parse_all(root, ["plain.yaml", "link.yaml", "pipe.yaml", "big.yaml"]))
    found = {k: v for frame in frames for k, v in frame.items()}
    raw, packed = found["plain.yaml"]
    assert raw == b"- {id: yes}\n" and packed == b'J[{"id":"yes"}]'
    assert found["link.yaml"] is None and found["pipe.yaml"] is None and found["big.yaml"] is None


@pytest.mark.parametrize(("text", "json"), [
    ("- {id: a, duration: 3, effort: 2.5}\n", b'[{"id":"a","duration":3,"effort":2.5}]'),
    ("- {id: a, notes: ~}\n", b'[{"id":"a","notes":null}]'),  # a null that is one
    ("- {id: a, x-team: keep}\n", None),  # a team's own key, which validation drops from the data
    ('- {id: "a\\u202eb"}\n', None),  # an escape, which the parent reports from the data
    ("- {id: a, effort: 1e999}\n", None),  # not finite: JSON would say null
    ("- {1: a}\n", None),  # a key that is not text
    ("- {id: a, effort: 123456789012345678901234567890}\n", None),  # more than 64 bits
])
def test_the_child_sends_json_only_where_it_says_what_the_data_does(text, json):
    from mpm.read.yamlread import read_fast

    assert prefetch.as_json(read_fast(text), text) == json


def _variants(value) -> list:
    """`value` and what a hand might write instead: the other spellings validation may accept
    (a number as text, an integer as a float, a flag as a word) and a few it refuses."""
    if isinstance(value, bool):
        return [value, int(value), str(value).lower(), "yes", None]
    if isinstance(value, int):
        return [value, float(value), str(value), value + 0.5, -value, True, None]
    if isinstance(value, float):
        return [value, str(value), round(value), None]
    if isinstance(value, str):
        return [value, value.upper(), "", 5, [value], None]
    if isinstance(value, list):
        return [value, value[:1], [], value + value[:1], None]
    if isinstance(value, dict):
        return [value, {}, dict(list(value.items())[1:]), {**value, "zz": 1}]
    return [value]


def _example_records(kind: str) -> list[dict]:
    """Every record of file `kind` in the example workspace, as read (without `x-` keys: a file
    with one is never sent as JSON)."""
    import yaml_rs

    from mpm.read.validate import without_extensions

    found: list[dict] = []
    for path in sorted((ROOT / "examples" / "acme").glob(f"campaigns/*/{kind}")):
        data = without_extensions(yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False))
        found += data if isinstance(data, list) else [data]
    return found


def _records(kind: str, shape: str):
    """Records of file `kind` taken from real files, some of their values written otherwise."""
    bases = _example_records(kind)

    @st.composite
    def record(draw):
        base = dict(draw(st.sampled_from(bases)))
        for key in draw(st.lists(st.sampled_from(sorted(base)), max_size=3, unique=True)):
            base[key] = draw(st.sampled_from(_variants(base[key])))
        if draw(st.integers(0, 9)) == 0:
            base["zz"] = 1  # a key no record has
        return base

    return st.lists(record(), max_size=4) if shape == "list" else record()


@pytest.mark.parametrize("kind", ["tasks.yaml", "goals.yaml", "risks.yaml", "assets.yaml", "campaign.yaml"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_validating_the_childs_json_gives_the_records_of_its_data(kind, data):
    """Where the child sends JSON, the parent's records are those validating the data gives, and
    JSON that is not all valid is validated as data instead, to word its problems."""
    import orjson

    from mpm.read.fields import adapter
    from mpm.read.model import FILE_KINDS
    from mpm.read.validate import validate_json_file

    shape, model = FILE_KINDS[kind]
    value = data.draw(_records(kind, shape))
    try:
        want = adapter(list[model] if shape == "list" else model).validate_python(value)
    except ValidationError:
        want = None
    else:
        want = list(enumerate(want)) if shape == "list" else want
    assert validate_json_file(kind, orjson.dumps(value)) == want


def test_a_cache_filled_from_the_childs_json_gives_the_serial_load(tmp_path, monkeypatch):
    """A cold load keeps the child's JSON as the cache's entries; a warm load validates them
    and gives what a serial load without the cache does."""
    from mpm.read.cache import FileCache

    root = tmp_path / "ws"
    generate(root, 1000, assets=100)
    monkeypatch.setattr(prefetch, "MIN_BYTES", 10**12)
    serial = _view(*load_workspace(root))
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    cold = _view(*load_workspace(root, cache=FileCache(root)))
    pack = FileCache(root)
    assert pack.get(next(iter(_index(pack)))) is not None
    kept = [pack.get(key) for key in _index(pack)]
    if second_core():
        assert sum(1 for k in kept if k is not None and k.json is not None) > len(kept) / 2
    monkeypatch.setattr(prefetch, "MIN_BYTES", 10**12)
    warm = _view(*load_workspace(root, cache=FileCache(root)))
    assert serial == cold == warm


def _index(cache) -> list[str]:
    cache.empty()  # opens the pack
    return list(cache._index)


@pytest.mark.parametrize("kind", ["tasks.yaml", "goals.yaml", "risks.yaml", "assets.yaml", "campaign.yaml"])
def test_the_examples_records_validate_from_json(kind):
    """The success path the property above leans on: every example record, as JSON."""
    import orjson

    from mpm.read.fields import adapter
    from mpm.read.model import FILE_KINDS
    from mpm.read.validate import validate_json_file

    shape, model = FILE_KINDS[kind]
    records = _example_records(kind)
    if shape == "list":
        assert validate_json_file(kind, orjson.dumps(records)) == list(
            enumerate(adapter(list[model]).validate_python(records)))
    else:
        for record in records:
            assert validate_json_file(kind, orjson.dumps(record)) == adapter(model).validate_python(record)
