"""``python -m hbm.matching`` runs the CLI."""

from hbm.matching.cli import main

raise SystemExit(main())
