"""What apps above alerts add to an alert's pages without alerts importing them: a
contingency plan an alert proposes to activate (hbm.plans registers in ``ready()``)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hbm.accounts.models import User
from hbm.alerts.models import Alert


@dataclass(frozen=True)
class Proposal:
    """A line on an alert: "Plan X proposed", a link to the plan and, for those who may act,
    the URL a POST goes to (with the alert's id as ``alert``) and its button's label."""

    text: str
    url: str
    action_url: str = ""
    action_label: str = ""


ProposalsFor = Callable[..., dict[int, list[Proposal]]]
_sources: list[ProposalsFor] = []


def on_alert_proposals(source: ProposalsFor) -> None:
    if source not in _sources:
        _sources.append(source)


def proposals_for(*, user: User, alerts: Iterable[Alert]) -> dict[int, list[Proposal]]:
    """Each alert's proposals (by alert pk) for this viewer."""
    alerts = list(alerts)
    found: dict[int, list[Proposal]] = {}
    for source in _sources:
        for alert_id, proposals in source(user=user, alerts=alerts).items():
            found.setdefault(alert_id, []).extend(proposals)
    return found


def attach(*, user: User, alerts: Iterable[Any]) -> None:
    """Set ``alert.proposals`` on each alert of a page, for its template."""
    alerts = list(alerts)
    found = proposals_for(user=user, alerts=alerts)
    for alert in alerts:
        alert.proposals = found.get(alert.pk, [])
