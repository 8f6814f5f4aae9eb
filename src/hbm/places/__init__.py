"""Places: countries, administrative areas and border crossing points (reference data)."""
