"""Watchlists: creating them, loading (CSV/XLSX, or FollowTheMoney JSON lines as OpenSanctions
publishes) and removing entries."""

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hbm.accounts.models import Agency, User
from hbm.accounts.selectors import agency_list
from hbm.audit.models import AuditEvent
from hbm.audit.services import audit_record
from hbm.lib.permissions import require_role
from hbm.lib.rejected import Rejected
from hbm.lib.tabular import TabularError, read_table
from hbm.lib.text import text_problem, text_refuse
from hbm.matching.records import date_problem
from hbm.security.models import Watchlist, WatchlistEntry, WatchlistLoad
from hbm.security.services.hits import SECURITY_ROLES
from hbm.security.services.rescreen import rescreen_request

COLUMNS = {
    "external_id",
    "given_name",
    "family_name",
    "father_name",
    "other_names",
    "date_of_birth",
    "nationality",
    "document_number",
    "reason_category",
    "required_action",
}
HXL = {
    "#meta+id": "external_id",
    "#beneficiary+name+given": "given_name",
    "#beneficiary+name+family": "family_name",
    "#beneficiary+name+father": "father_name",
    "#beneficiary+name+alias": "other_names",
    "#beneficiary+date+birth": "date_of_birth",
    "#country+code+nationality": "nationality",
    "#beneficiary+id+document": "document_number",
}
# Messages are translated lazily, in the language of the request that meets them; the ones
# with placeholders become plain text when formatted (``str.format`` on a lazy string).
NO_NAME = _("line {}: an entry needs a name (given, family or other names)")
NO_ID = _("line {}: external_id is required")
DUPLICATE_ID = _("line {}: external_id '{}' already appears on line {}")
BAD_ACTION = _("line {}: required_action '{}' is not one of: inform, refer, hold")
BAD_JSON = _("line {}: not a JSON object ({})")
BAD_DATE = _("line {}: {}")
BAD_TEXT = _("line {}: {}: {}")
NOT_UTF8 = _("{}: not UTF-8 text")
NO_ENTRIES = _("{}: no entries")
NOT_YOUR_AGENCY = _("Choose one of your own agencies as the owner of the list.")
NOT_YOUR_LIST = _("Only the owner agency's security officers decide where this list is screened.")


@dataclass
class LoadSummary:
    added: int
    updated: int
    removed: int
    # The file's first entries, for a check before loading (empty once loaded).
    sample: list[dict[str, str]] | None = None

    @property
    def total(self) -> int:
        return self.added + self.updated


def _first(values: Any) -> str:
    return str(values[0]).strip() if isinstance(values, list) and values else ""


def _ftm_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    rows, problems = [], []
    for line, text in enumerate(content.decode("utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            item = json.loads(text)
            if not isinstance(item, dict):
                raise ValueError("expected an object")
        except ValueError as error:
            problems.append(BAD_JSON.format(line, error))
            continue
        if item.get("schema") not in (None, "Person"):
            continue
        props = item.get("properties") or {}
        names = [*props.get("name", []), *props.get("alias", [])]
        rows.append(
            (
                line,
                {
                    "external_id": str(item.get("id", "")).strip(),
                    "given_name": _first(props.get("firstName")),
                    "family_name": _first(props.get("lastName")),
                    "father_name": _first(props.get("fatherName")),
                    "other_names": "; ".join(str(n) for n in names),
                    "date_of_birth": _first(props.get("birthDate"))[:10],
                    "nationality": _first(props.get("nationality")).upper(),
                    "document_number": _first(props.get("passportNumber") or props.get("idNumber")),
                    "reason_category": ", ".join(props.get("topics", [])),
                    "required_action": "refer",
                },
            )
        )
    if problems:
        raise Rejected(problems)
    return rows


def _rows(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    if filename.lower().endswith((".jsonl", ".ftm", ".json")):
        try:
            return _ftm_rows(content)
        except UnicodeDecodeError as error:
            raise Rejected([NOT_UTF8.format(filename)]) from error
    try:
        table = read_table(content, filename, columns=COLUMNS, hxl_map=HXL)
    except TabularError as error:
        raise Rejected(error.problems) from error
    return [(row.line, {c: row.values.get(c, "") for c in COLUMNS}) for row in table]


def _check(rows: list[tuple[int, dict[str, str]]]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}  # external id: its first line
    for line, row in rows:
        if not row["external_id"]:
            problems.append(NO_ID.format(line))
        elif row["external_id"] in seen:
            problems.append(DUPLICATE_ID.format(line, row["external_id"], seen[row["external_id"]]))
        seen.setdefault(row["external_id"], line)
        if not (row["given_name"] or row["family_name"] or row["other_names"]):
            problems.append(NO_NAME.format(line))
        if row["required_action"] and row["required_action"] not in WatchlistEntry.Action.values:
            problems.append(BAD_ACTION.format(line, row["required_action"]))
        problem = date_problem(row["date_of_birth"])
        if problem:
            problems.append(BAD_DATE.format(line, problem))
        problems.extend(
            BAD_TEXT.format(line, field, problem)
            for field in sorted(COLUMNS)
            if (problem := text_problem(row[field]))
        )
    return problems


SAMPLE_SIZE = 20


def watchlist_load_check(
    *, actor: User, watchlist: Watchlist, content: bytes, filename: str, replace: bool = True
) -> LoadSummary:
    """What loading the file would do, without writing anything; Rejected as the
    load itself would raise it."""
    require_role(actor, *SECURITY_ROLES)
    rows = _valid_rows(content, filename)
    active = dict(watchlist.entries.values_list("external_id", "active"))
    ids = {row["external_id"] for _line, row in rows}
    removed = sum(1 for key, on in active.items() if on and key not in ids) if replace else 0
    added = len(ids - active.keys())
    return LoadSummary(
        added=added,
        updated=len(ids) - added,
        removed=removed,
        sample=[row for _line, row in rows[:SAMPLE_SIZE]],
    )


def _valid_rows(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    rows = _rows(content, filename)
    problems = _check(rows) or ([] if rows else [NO_ENTRIES.format(filename)])
    if problems:
        raise Rejected(problems)
    return rows


@transaction.atomic
def watchlist_load(
    *, actor: User, watchlist: Watchlist, content: bytes, filename: str, replace: bool = True
) -> LoadSummary:
    """Load a file into a watchlist, all or nothing. With ``replace``, entries not in the
    file are removed (deactivated): they stop matching at once."""
    require_role(actor, *SECURITY_ROLES)
    rows = _valid_rows(content, filename)
    load = WatchlistLoad.objects.create(
        watchlist=watchlist, filename=filename[:200], loaded_by=actor
    )
    existing = {e.external_id: e for e in watchlist.entries.all()}
    added = updated = 0
    for _line, row in rows:
        values = {
            **row,
            "required_action": row["required_action"] or "refer",
            "active": True,
            "load": load,
        }
        entry = existing.get(row["external_id"])
        if entry is None:
            WatchlistEntry.objects.create(watchlist=watchlist, **values)
            added += 1
        else:
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            updated += 1
    removed, gone = 0, []
    if replace:
        ids = {row["external_id"] for _line, row in rows}
        gone = [e.pk for key, e in existing.items() if key not in ids and e.active]
        removed = WatchlistEntry.objects.filter(pk__in=gone).update(
            active=False, updated_at=timezone.now()
        )
    load.added, load.updated, load.removed = added, updated, removed
    load.save()
    # Other processes read entries changed in the last seconds; a long load's rows carry
    # older stamps, so stamp them again once the load is committed.
    transaction.on_commit(
        lambda: WatchlistEntry.objects.filter(Q(load=load) | Q(pk__in=gone)).update(
            updated_at=timezone.now()
        )
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        target=watchlist,
        detail=f"{filename}: {added} added, {updated} updated, {removed} removed",
    )
    if added or updated:
        rescreen_request(actor=actor, reason=f"{watchlist.name}: {filename} loaded")
    return LoadSummary(added=added, updated=updated, removed=removed)


@transaction.atomic
def watchlist_create(
    *,
    actor: User,
    owner: Agency,
    name: str,
    legal_basis: str,
    retention_days: int = 365,
    field_screening: bool = False,
) -> Watchlist:
    require_role(actor, *SECURITY_ROLES)
    if owner is None or not agency_list(user=actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": NOT_YOUR_AGENCY})
    text_refuse({"name": name, "legal_basis": legal_basis}, multiline={"legal_basis"})
    watchlist = Watchlist(
        name=name.strip(),
        owner=owner,
        legal_basis=legal_basis.strip(),
        retention_days=retention_days,
        field_screening=field_screening,
    )
    watchlist.full_clean()
    watchlist.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=watchlist)
    return watchlist


@transaction.atomic
def watchlist_field_screening_set(*, actor: User, watchlist: Watchlist, on: bool) -> Watchlist:
    """Let field stations screen against the list, or stop them (ADR 0130). Its entries
    are stamped again once committed, so that the next pull of each station carries them
    (marked) or the list's withdrawal takes them out of the station's index (un-marked)."""
    require_role(actor, *SECURITY_ROLES)
    if not agency_list(user=actor).filter(pk=watchlist.owner_id).exists():
        raise PermissionDenied(NOT_YOUR_LIST)
    if watchlist.field_screening == on:
        return watchlist
    watchlist.field_screening = on
    watchlist.save(update_fields=["field_screening"])
    transaction.on_commit(
        lambda: WatchlistEntry.objects.filter(watchlist=watchlist).update(updated_at=timezone.now())
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=watchlist,
        fields=["field_screening"],
        detail="screened at field stations" if on else "no longer screened at field stations",
    )
    return watchlist


@transaction.atomic
def entry_remove(*, actor: User, entry: WatchlistEntry) -> WatchlistEntry:
    require_role(actor, *SECURITY_ROLES)
    entry.active = False
    entry.save(update_fields=["active", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=entry,
        fields=["active"],
        detail="removed",
    )
    return entry
