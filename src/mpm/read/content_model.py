"""The content records of DESIGN §2: one occurrence of a repeating task, and an asset.

`Occurrence` is what differs for one date of a repeating task (its entry
under `occurrences:`); `Asset` is one item of a campaign's `assets.yaml`.
Rules that need more than one record (a key that is not a date of the rule,
reuse cycles, unknown assets) live in `mpm.check.content`.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from mpm.read.fields import (
    DONE_BEFORE_STARTED,
    AssetKind,
    AssetStatus,
    Day,
    OccurrenceStatus,
    Slug,
    TaskRef,
    Text,
    record,
    rule,
)


@record
class Occurrence:
    status: OccurrenceStatus | None = None  # None: the series' status applies
    started_on: Day | None = None
    done_on: Day | None = None
    title: Text | None = None
    owner: Slug | None = None
    asset: TaskRef | None = None
    moved_to: Day | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _order(self) -> Occurrence:
        if self.started_on and self.done_on and self.done_on < self.started_on:
            raise rule("mpm_order", "done_on", "done_on ({done}) is before started_on ({started})",
                       done=str(self.done_on), started=str(self.started_on), hint=DONE_BEFORE_STARTED)
        return self


@record
class Asset:
    id: Slug
    title: Text
    kind: AssetKind = "other"
    channel: Text | None = None
    status: AssetStatus = "idea"
    owner: Slug | None = None
    url: Text | None = None
    published_on: Day | None = None
    review_by: Day | None = None
    derived_from: list[TaskRef] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
