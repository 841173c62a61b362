"""GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped.

Data escapes %, CR and LF; property values also escape ':' and ','
(`render/escape.py`).
"""

from __future__ import annotations

from mpm.render.escape import workflow_data, workflow_property


def command(level: str, message: str, **props: object) -> str:
    parts = [f"{k}={workflow_property(str(v))}" for k, v in props.items() if v is not None]
    head = f"::{level}" + (" " + ",".join(parts) if parts else "")
    return f"{head}::{workflow_data(message)}"
