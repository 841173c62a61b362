"""Check: rules across records of a loaded workspace.

In: a `Workspace` from `mpm.read`. Out: more `Diagnostic`s (unknown owners,
references, cycles, dates, budgets) and the task graph the planner reuses.
Imports: `mpm.read` only.
"""
