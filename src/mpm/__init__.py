"""mpm: marketing project management over plain-text files."""

__version__ = "0.1.0"
