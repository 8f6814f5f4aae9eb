"""The checks a plan and an SOP template share, as plain functions over plain values. Each
returns ``{field path: [problem]}`` (e.g. ``tasks.2.due_hours``), empty when all is well."""

from collections.abc import Sequence
from typing import Any

from hbm.alerts.models import Level
from hbm.lib.text import text_problems

NO_TASKS = "A plan needs at least one task."
TOO_MANY_TASKS = "A checklist has at most {} tasks."
TITLE_NEEDED = "Say what is to be done."
NEGATIVE_DEADLINE = "The deadline is hours after activation: 0 or more."
DEADLINE_TOO_FAR = "The deadline is at most {} hours (90 days) after activation."
NOT_A_NUMBER = "Give the deadline as a whole number of hours."
UNKNOWN_LEVEL = "Choose watch, warning or emergency."
LEVELS_OUT_OF_ORDER = "The standby level must be below the activation level."
NAME_NEEDED = "Give the plan a name."
TOO_LONG = "Keep this under {} characters."

MAX_TASKS = 100
MAX_HOURS = 24 * 90
TRIGGER_LEVELS = (Level.WATCH, Level.WARNING, Level.EMERGENCY)
RANK = {level: rank for rank, level in enumerate(Level.values)}


def level_rank(level: str) -> int:
    return RANK.get(level, -1)


def trigger_problems(*, standby_level: str, activation_level: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if activation_level not in TRIGGER_LEVELS:
        problems["activation_level"] = [UNKNOWN_LEVEL]
    if standby_level and standby_level not in TRIGGER_LEVELS:
        problems["standby_level"] = [UNKNOWN_LEVEL]
    if not problems and standby_level and level_rank(standby_level) >= level_rank(activation_level):
        problems["standby_level"] = [LEVELS_OUT_OF_ORDER]
    return problems


def _hours_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return NOT_A_NUMBER
    if value < 0:
        return NEGATIVE_DEADLINE
    if value > MAX_HOURS:
        return DEADLINE_TOO_FAR.format(MAX_HOURS)
    return None


def task_problems(tasks: Sequence[Any]) -> dict[str, list[str]]:
    """Each task has ``title``, ``details`` and ``due_hours`` attributes."""
    if not tasks:
        return {"tasks": [NO_TASKS]}
    if len(tasks) > MAX_TASKS:
        return {"tasks": [TOO_MANY_TASKS.format(MAX_TASKS)]}
    problems: dict[str, list[str]] = {}
    for index, task in enumerate(tasks):
        where = f"tasks.{index}"
        title = (task.title or "").strip()
        if not title:
            problems[f"{where}.title"] = [TITLE_NEEDED]
        elif len(title) > 200:
            problems[f"{where}.title"] = [TOO_LONG.format(200)]
        hours = _hours_problem(task.due_hours)
        if hours:
            problems[f"{where}.due_hours"] = [hours]
        text_problems(
            {f"{where}.title": title, f"{where}.details": task.details or ""},
            multiline={f"{where}.details"},
            into=problems,
        )
    return problems
