"""The command line: one small module per command group, thin over the domain.

Each command parses its options, runs the pipeline steps in `steps`
(read → check → plan), calls one or two domain functions and renders.
The only stage that reads the clock, the environment or the terminal.
Nothing imports `mpm.cli`.
"""
