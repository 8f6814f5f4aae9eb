"""The ``hbm`` command.

``hbm match ...`` runs the matching engine's command line (no Django, no database);
everything else is a Django management command (``hbm migrate``, ``hbm demo load``...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int | None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["match"]:
        from hbm.matching.cli import main as match_main

        return match_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hbm", *args])
    return None


if __name__ == "__main__":
    sys.exit(main())
