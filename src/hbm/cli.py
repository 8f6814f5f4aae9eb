"""The ``hbm`` command: Django's management commands plus HBM's own (``hbm demo load``...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbm.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hbm", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
