"""The one error of every import (a file checked in full before anything is written)."""


class Rejected(Exception):
    """Nothing was written; ``problems`` holds one line per problem, each naming where it is
    (a line, a sheet and line, or a field) and why. The API answers 422 with them under the
    upload's field, the pages list them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems
