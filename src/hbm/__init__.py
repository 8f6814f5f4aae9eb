"""HBM — Humanitarian Border Management information system."""

__version__ = "0.1.0"
