"""Screening: specific needs (protection) and, in later slices, migration health."""
