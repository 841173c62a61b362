"""Renderers: plain data in, text out. The only code that prints."""
