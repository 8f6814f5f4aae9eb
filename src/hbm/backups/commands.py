"""What the backup commands share: a refusal is one line per problem on stderr, then a
non-zero exit."""

from typing import NoReturn

from django.core.management.base import OutputWrapper

EXIT_REFUSED = 1


def refused_lines(stderr: OutputWrapper, problems: list[str], outcome: str) -> NoReturn:
    for problem in problems:
        stderr.write(problem)
    stderr.write(outcome)
    raise SystemExit(EXIT_REFUSED)
