"""Every write lives in an app's services (a module or a package named so): the folder tells
which modules write. Import contracts can't see a call to save(), so this reads the source."""

import ast
import re
from pathlib import Path

import hbm

SOURCE = Path(hbm.__file__).parent
# Code that may write without being a service: schema and data migrations, the demo loader,
# management commands (they call services, or manage the database itself), shared helpers.
OUTSIDE_APPS = {"migrations", "management", "demo", "lib", "matching"}
ORM_WRITES = {"bulk_create", "bulk_update", "create", "delete", "get_or_create", "update"}
ORM_WRITES |= {"update_or_create", "save"}
QUERY = re.compile(r"\bobjects\b|\.filter\(|\.exclude\(|select_for_update\(")
SQL_WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)
# Receivers of save()/delete() that are not models: workbooks, the engine's index, storage,
# the API router's DELETE route, a model's own save().
NOT_MODELS = {"book", "index", "storage", "router", "super()"}


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name, receiver = call.func.attr, ast.unparse(call.func.value)
    if name in ORM_WRITES and QUERY.search(receiver):
        return True
    last = receiver.rsplit(".", 1)[-1]
    return name in {"save", "delete"} and last not in NOT_MODELS and "(" not in last


def _is_sql_write(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and bool(SQL_WRITE.match(str(node.value)))


def _writes(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, ast.unparse(node)[:60])
        for node in ast.walk(tree)
        if (isinstance(node, ast.Call) and _is_write(node)) or _is_sql_write(node)
    ]


def _is_service(path: Path) -> bool:
    parts = path.relative_to(SOURCE).parts
    return "services" in parts or path.name == "services.py" or path.name == "models.py"


def test_every_write_is_in_a_service():
    stray = [
        f"{path.relative_to(SOURCE)}:{line}: {call}"
        for path in sorted(SOURCE.rglob("*.py"))
        if not OUTSIDE_APPS & set(path.relative_to(SOURCE).parts) and not _is_service(path)
        for line, call in _writes(ast.parse(path.read_text()))
    ]
    assert stray == []


def test_the_check_sees_a_write():
    written = ast.parse(
        "Person.objects.filter(pk=1).update(cluster=2)\nperson.save()\n"
        "cursor.execute('INSERT INTO t VALUES (1)')\nbook.save(buffer)\nfields['DELETE']\n"
    )
    assert [line for line, _ in _writes(written)] == [1, 2, 3]
