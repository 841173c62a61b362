"""Change: git and writing files.

Reading revisions from git objects, what a change means for the plan (diff),
surgical comment-keeping edits, the canonical layout (fmt) and new
workspaces and campaigns from templates.
In: workspaces, plans and user requests. Out: diff reports and atomic writes.
Imports: `mpm.views`, `mpm.plan`, `mpm.check`, `mpm.read`.
"""
