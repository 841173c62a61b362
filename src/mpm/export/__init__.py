"""Exports for other tools: iCalendar, Mermaid, CSV, JSON."""
