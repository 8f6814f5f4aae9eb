"""Audit: an append-only record of who read, changed, exported or shared what."""
