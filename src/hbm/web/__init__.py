"""The web shell: layout, navigation by role, home page and language switching."""
