"""Small pure helpers shared by every app (no domain logic)."""
