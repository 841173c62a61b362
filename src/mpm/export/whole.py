"""The whole validated workspace and its schedule as one JSON document (mpm/export/1)."""

from __future__ import annotations

from collections.abc import Iterator

from mpm.plan.dates import Plan
from mpm.read.fields import dump as dump_record
from mpm.read.fields import dump_all
from mpm.read.load import Workspace
from mpm.render.jsonout import document_chunks
from mpm.render.plan import campaign_json


def export_json(ws: Workspace, plan: Plan, *, campaigns: list[str] | None = None,
                person: str | None = None) -> Iterator[bytes]:
    """The document's bytes, a campaign at a time: the whole workspace never exists as one tree.

    `campaigns`: only these; `person`: only their tasks, and campaigns where they have some."""
    def dump(record):
        return dump_record(record, exclude_none=True)

    chosen = set(campaigns or [])

    def each():
        for c in ws.campaigns:
            if chosen and c.id not in chosen:
                continue
            schedule = plan.campaign(c.id)
            tasks = c.tasks
            if person is not None:
                tasks = [t for t in tasks if t.owner == person]
                if not tasks:
                    continue
                if schedule is not None:
                    schedule = schedule.of_person(person)
            yield {
                "id": c.id,
                "campaign": dump(c.campaign) if c.campaign else None,
                "goals": dump_all(c.goals, exclude_none=True),
                "tasks": dump_all(tasks, exclude_none=True),
                "risks": dump_all(c.risks, exclude_none=True),
                "assets": dump_all(c.assets, exclude_none=True),
                "schedule": campaign_json(schedule) if schedule else None,
            }

    return document_chunks("export", {"as_of": plan.as_of, "workspace": dump(ws.config) if ws.config else None},
                           each(), "campaigns")
