"""Render: plain data in, text out — tables, JSON, Markdown, HTML, SVG,
GitHub annotations. The only code that formats for people or prints.

In: views, plans, diff reports, diagnostics. Out: strings and console output.
Imports: `mpm.change` (diff report types), `mpm.views`, `mpm.plan`,
`mpm.check`, `mpm.read`.
"""
