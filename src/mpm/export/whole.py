"""The whole validated workspace and its schedule as one JSON document (mpm/export/1)."""

from __future__ import annotations

from mpm.plan.dates import Plan
from mpm.read.fields import dump as dump_record
from mpm.read.load import Workspace
from mpm.render.jsonout import document
from mpm.render.plan import campaign_json


def export_json(ws: Workspace, plan: Plan) -> str:
    def dump(record):
        return dump_record(record, exclude_none=True)

    return document("export", {
        "as_of": plan.as_of,
        "workspace": dump(ws.config) if ws.config else None,
        "campaigns": [{
            "id": c.id,
            "campaign": dump(c.campaign) if c.campaign else None,
            "goals": [dump(g) for g in c.goals],
            "tasks": [dump(t) for t in c.tasks],
            "risks": [dump(r) for r in c.risks],
            "assets": [dump(a) for a in c.assets],
            "schedule": campaign_json(plan.campaign(c.id)) if plan.campaign(c.id) else None,
        } for c in ws.campaigns],
    })
