"""Registry: people, groups and crossings — registration at the border and identity clusters."""
