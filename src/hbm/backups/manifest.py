"""The archive's ``manifest.json``: what a backup holds, and the checks that tell an HBM
backup from a foreign or damaged file."""

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from hbm.lib.rejected import Rejected

NAME = "manifest.json"
FORMAT = "hbm-backup"
FORMAT_VERSION = 1
MAX_BYTES = 16 * 1024 * 1024  # a manifest lists members and tables, never data
VENDORS = ("sqlite", "postgresql")
DATABASE_MEMBERS = {"sqlite": "database/hbm.sqlite3", "postgresql": "database/hbm.pgdump"}
INDEX_MEMBERS = ("index/person-index.bin", "index/person-index.json")
SECRET_KEY_MEMBER = "keys/secret_key"
FIELD_KEYS_MEMBER = "keys/field_keys"
FOLDERS = ("database", "media", "index", "keys")

NOT_JSON = "manifest.json: not valid JSON ({error})"
NOT_HBM = "manifest.json: not an HBM backup (format {found!r}, expected {FORMAT!r})"
NEWER_FORMAT = (
    "manifest.json: format version {found} is newer than this HBM reads ({FORMAT_VERSION}):"
    " restore it with the HBM release that wrote it"
)
MISSING_FIELD = "manifest.json: {field} is missing or not {kind}"
UNSAFE_NAME = "{name}: not a name an HBM backup uses (outside database/, media/, index/, keys/)"


@dataclass(frozen=True)
class Member:
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    created_at: str
    hbm_version: str
    hbm_commit: str | None
    vendor: str
    row_counts: dict[str, int]
    includes_media: bool
    includes_keys: bool
    members: dict[str, Member] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    def to_json(self) -> bytes:
        data = asdict(self)
        if self.includes_keys:
            data["warning"] = (
                "This archive holds the secret key and the field keys that decrypt its "
                "protection, health, security and referral details: keep it as you keep "
                "the keys themselves."
            )
        return json.dumps(data, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        """The manifest, or Rejected with one line per thing wrong with it."""
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise Rejected([NOT_JSON.format(error=error)]) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise Rejected([NOT_HBM.format(found=found, FORMAT=FORMAT)])
        version = data.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise Rejected([NEWER_FORMAT.format(found=version, FORMAT_VERSION=FORMAT_VERSION)])
        problems = _shape_problems(data)
        if problems:
            raise Rejected(problems)
        members = {name: Member(**m) for name, m in data["members"].items()}
        return cls(
            created_at=data["created_at"],
            hbm_version=data["hbm_version"],
            hbm_commit=data.get("hbm_commit"),
            vendor=data["vendor"],
            row_counts=data["row_counts"],
            includes_media=data["includes_media"],
            includes_keys=data["includes_keys"],
            members=members,
            format_version=data["format_version"],
        )


def _shape_problems(data: dict[str, Any]) -> list[str]:
    expected: list[tuple[str, Any, str]] = [
        ("format_version", int, "a whole number"),
        ("created_at", str, "text"),
        ("hbm_version", str, "text"),
        ("includes_media", bool, "true or false"),
        ("includes_keys", bool, "true or false"),
        ("row_counts", dict, "an object"),
        ("members", dict, "an object"),
    ]
    problems = [
        MISSING_FIELD.format(field=name, kind=kind)
        for name, type_, kind in expected
        if not isinstance(data.get(name), type_)
    ]
    if data.get("vendor") not in VENDORS:
        problems.append(MISSING_FIELD.format(field="vendor", kind=" or ".join(VENDORS)))
    counts = data.get("row_counts")
    if isinstance(counts, dict) and not all(
        isinstance(n, int) and not isinstance(n, bool) for n in counts.values()
    ):
        problems.append(MISSING_FIELD.format(field="row_counts", kind="whole numbers"))
    members = data.get("members")
    if isinstance(members, dict):
        problems += _member_problems(members, data.get("vendor"))
    return problems


def _member_problems(members: dict[str, Any], vendor: Any) -> list[str]:
    problems = [UNSAFE_NAME.format(name=name) for name in members if not is_safe_name(name)]
    for name, member in members.items():
        if not (
            isinstance(member, dict)
            and set(member) == {"sha256", "size"}
            and isinstance(member["sha256"], str)
            and re.fullmatch(r"[0-9a-f]{64}", member["sha256"])
            and isinstance(member["size"], int)
        ):
            problems.append(MISSING_FIELD.format(field=f"members[{name!r}]", kind="sha256, size"))
    if vendor in DATABASE_MEMBERS and DATABASE_MEMBERS[vendor] not in members:
        problems.append(MISSING_FIELD.format(field=DATABASE_MEMBERS[vendor], kind="listed"))
    return problems


def is_safe_name(name: str) -> bool:
    """A relative name under one of FOLDERS, with no empty, "." or ".." part: extracting it
    cannot write outside the folder it is extracted to."""
    parts = name.split("/")
    return (
        len(parts) >= 2
        and parts[0] in FOLDERS
        and all(part not in ("", ".", "..") for part in parts)
        and not any(c in name for c in "\\\x00")
    )
