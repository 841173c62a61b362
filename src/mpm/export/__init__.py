"""Export: whole-workspace files for other programs — iCalendar, Mermaid,
CSV and JSON.

In: a workspace and its plan. Out: bytes/text in each program's format.
Imports: `mpm.render` (shared JSON and Mermaid writers) and everything below.
"""
