"""What names look like in a workspace: the files it holds and the slug every id is.

Kept apart from the record models so that what only lists and reads files
(the answer key of a replayed run, for one) does not load Pydantic.
"""

from __future__ import annotations

import re
import unicodedata

WORKSPACE_FILE = "mpm.yaml"
CAMPAIGN_FILES = ("campaign.yaml", "goals.yaml", "tasks.yaml", "risks.yaml", "assets.yaml")

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
TASK_REF_PATTERN = r"^(?:[a-z0-9][a-z0-9-]*/)?[a-z0-9][a-z0-9-]*$"


def slug_of(text: str) -> str:
    """The id a name suggests: ASCII lowercase letters and digits, anything else between them
    one dash ('Inés García' -> 'ines-garcia', 'Spring Sale!' -> 'spring-sale')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
