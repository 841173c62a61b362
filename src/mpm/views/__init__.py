"""Views: plain data for people, built from a workspace and its plan.

Status findings, the quarter, capacity, goals and SMART checks, risks,
budget, the stakeholder report and the rows of the plan table.
In: `Workspace` + `Plan`. Out: dataclasses, no text formatting.
Imports: `mpm.plan`, `mpm.check`, `mpm.read`.
"""
