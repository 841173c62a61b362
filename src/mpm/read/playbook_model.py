"""The record of `playbooks/<name>/playbook.yaml`: what a playbook is for,
the roles it casts and the variables its text uses (DESIGN §2 playbooks)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, Strict

from mpm.read.fields import Slug, Text, record

VARIABLE_PATTERN = r"^[a-z_][a-z0-9_]*$"


def _variable_entry(value: Any) -> Any:
    return {"about": value} if isinstance(value, str) else value


@record
class Variable:
    about: Text | None = None
    default: Text | None = None


@record
class PlaybookInfo:
    """What a playbook is for, the roles it casts and the variables its text uses."""

    description: Text | None = None
    roles: dict[Slug, Text | None] = Field(default_factory=dict)
    variables: dict[Annotated[str, Strict(), Field(pattern=VARIABLE_PATTERN)],
                    Annotated[Variable, BeforeValidator(_variable_entry, json_schema_input_type=Text | Variable)]] = (
        Field(default_factory=dict))
    notes: list[Text] = Field(default_factory=list)
