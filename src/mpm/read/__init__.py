"""Read: bytes on disk → a validated `Workspace` plus diagnostics.

In: a workspace folder (or any `FileSource`: git objects, an edit overlay).
Out: `Workspace` records that keep their file and line, and `Diagnostic`s.
Imports: the standard library and the parsing/validation libraries only; no
other mpm stage. Every later stage reads the workspace through this one.
"""
