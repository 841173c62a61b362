"""Plan: dates. Working-day calendars, fiscal quarters, recurrence, the CPM
engine and the schedule of every campaign (levelling and forecast live here).

In: a checked `Workspace` and an as-of date. Out: a `Plan` of plain data.
Imports: `mpm.check` and `mpm.read`. Never reads the clock: as-of is a parameter.
"""
