"""mpm writes iCalendar itself; every file must be what icalendar would write for the same events,
and read back by icalendar and vobject as the text the user wrote."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from conftest import ACME, run_mpm
from consumers import ics_events
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mpm.export import ics

AS_OF = "2026-11-16"


def icalendar_bytes(plan, *, person=None, name="mpm plan") -> bytes:
    """The same events built with icalendar's object model: the reference the writer must match."""
    from icalendar import Calendar, Event
    from icalendar.prop import vText

    from mpm.render.escape import clean, one_line

    cal = Calendar()
    cal.add("prodid", ics.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # an X- property is TEXT (RFC 5545 §3.8.8.2), escaped as such; icalendar escapes it when told so
    cal.add("x-wr-calname", vText(clean(name) + (f" — {person}" if person else "")))
    stamp = datetime.combine(plan.as_of, time(0, 0), tzinfo=UTC)
    where = ics.domain(name)
    for c in plan.campaigns:
        for t in c.tasks:
            if person and t.owner != person:
                continue
            kind = "milestone" if t.milestone else "task"
            title = one_line(t.name)
            events = [(kind, f"{'◆ ' if t.milestone else ''}{title}", t.start,
                       t.start + timedelta(days=1) if t.milestone else t.finish + timedelta(days=1))]
            if t.due and (not t.milestone or t.start != t.due):  # a late milestone keeps its due date
                events.append(("due", f"Due: {title}", t.due, t.due + timedelta(days=1)))
            for k, summary, start, end in events:
                ev = Event()
                ev.add("uid", f"{k}-{t.campaign}-{t.id.replace('@', '-')}@{where}")
                ev.add("dtstamp", stamp)
                ev.add("last-modified", stamp)
                ev.add("sequence", max((plan.as_of - date(2000, 1, 1)).days, 0))
                ev.add("summary", f"{summary} [{c.id}]")
                ev.add("dtstart", start)
                ev.add("dtend", end)
                ev.add("description", ics._description(t))
                ev.add("categories", [c.id, k])
                ev.add("transp", "TRANSPARENT")
                cal.add_component(ev)
    return cal.to_ical()


def plan_of(root):
    """The plan the CLI exports: levelled when the workspace says so."""
    from mpm.check.checks import check_workspace
    from mpm.plan.schedule import build_plan

    ws, _ = check_workspace(root)
    return build_plan(ws, date.fromisoformat(AS_OF))


def acme_plan():
    return plan_of(ACME)


def test_acme_calendar_is_byte_for_byte_what_icalendar_writes():
    plan = acme_plan()
    name = "Acme Outdoor Co. marketing"
    assert ics.calendar(plan, name=name) == icalendar_bytes(plan, name=name)
    assert ics.calendar(plan, person="leo", name=name) == icalendar_bytes(plan, person="leo", name=name)
    assert ics.calendars(plan, name=name)["sam"] == icalendar_bytes(plan, person="sam", name=name)


def test_hostile_names_are_written_as_icalendar_writes_them(tmp_path):
    """Commas, semicolons, backslashes, quotes, accents, emoji and long names, through the CLI."""
    ws = tmp_path / "ws"
    (ws / "campaigns" / "spring").mkdir(parents=True)
    (ws / "mpm.yaml").write_text("name: 'Café; \"Müller\", Söhne'\nteam:\n"
                                 "  - {id: ana, name: Ana, capacity_hours_per_week: 40}\n", encoding="utf-8")
    (ws / "campaigns" / "spring" / "campaign.yaml").write_text(
        "name: Spring\nowner: ana\nstatus: active\nstart: 2027-03-01\n", encoding="utf-8")
    names = ["Launch; then, relax", "Path C:\\new\\Files", ("Ünïcödé 🎉 " * 9).strip(),
             "Q&A <b>bold</b> \"quoted\" it's", "x" * 73 + "é", "a" * 72 + "\\;"]
    quoted = [n.replace("'", "''") for n in names]  # YAML single quotes: backslashes stay as written
    (ws / "campaigns" / "spring" / "tasks.yaml").write_text("".join(
        f"- id: t{i}\n  name: '{n}'\n  owner: ana\n  duration: 2\n  due: 2027-03-20\n" for i, n in enumerate(quoted)),
        encoding="utf-8")
    r = run_mpm("export", "ics", "-w", str(ws), "--as-of", AS_OF, "-o", str(tmp_path / "out.ics"))
    assert r.exit_code == 0, r.stderr
    written = (tmp_path / "out.ics").read_bytes()
    assert written == icalendar_bytes(plan_of(ws), name="Café; \"Müller\", Söhne")
    import vobject

    # X-WR-CALNAME is TEXT as RFC 5545 says of X- properties; vobject reads it so (icalendar keeps it raw)
    assert vobject.readOne(written.decode("utf-8")).x_wr_calname.value == 'Café; "Müller", Söhne'
    read = {e["summary"] for e in ics_events(written)}
    for n in names:
        assert f"{n} [spring]" in read


# Text as users write it: anything printable, and the characters TEXT escapes.
texts = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from(",;\\^\n\r\"é€🎉")),
                max_size=300)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(texts, st.sampled_from(["summary", "description", "location"]))
@example("a" * 64 + "\\", "summary")  # an escape at the fold
@example("a" * 63 + "é" + "b", "summary")  # a two-byte character at the fold
@example("€" * 40, "description")
def test_escaping_and_folding_match_icalendar(text, name):
    """Except for one icalendar habit: it reads a written backslash-N as a line break; mpm keeps it."""
    from icalendar import Event

    if "\\N" in text:
        return
    ev = Event()
    ev.add(name, text)
    want = ev.to_ical().decode("utf-8").removeprefix("BEGIN:VEVENT\r\n").removesuffix("\r\nEND:VEVENT\r\n")
    assert ics._fold(f"{name.upper()}:{ics._text(text)}") == want


def test_a_written_backslash_n_stays_as_written():
    from icalendar import Calendar

    line = ics._fold("SUMMARY:" + ics._text("Folder C:\\New campaign"))
    data = f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".encode()
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Folder C:\\New campaign"


def test_every_folded_line_is_at_most_75_octets_and_whole_utf8():
    plan = acme_plan()
    data = ics.calendar(plan, name="Ünïcödé marketing " * 6)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # no character cut in two
