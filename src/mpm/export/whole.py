"""The whole validated workspace and its schedule as one JSON document (mpm/export/1)."""

from __future__ import annotations

from collections.abc import Iterator

from mpm.plan.dates import Plan
from mpm.read.fields import dump as dump_record
from mpm.read.load import Workspace
from mpm.render.jsonout import document_chunks
from mpm.render.plan import campaign_json


def export_json(ws: Workspace, plan: Plan) -> Iterator[bytes]:
    """The document's bytes, a campaign at a time: the whole workspace never exists as one tree."""
    def dump(record):
        return dump_record(record, exclude_none=True)

    def campaigns():
        for c in ws.campaigns:
            schedule = plan.campaign(c.id)
            yield {
                "id": c.id,
                "campaign": dump(c.campaign) if c.campaign else None,
                "goals": [dump(g) for g in c.goals],
                "tasks": [dump(t) for t in c.tasks],
                "risks": [dump(r) for r in c.risks],
                "assets": [dump(a) for a in c.assets],
                "schedule": campaign_json(schedule) if schedule else None,
            }

    return document_chunks("export", {"as_of": plan.as_of, "workspace": dump(ws.config) if ws.config else None},
                           campaigns(), "campaigns")
