"""CAP 1.2 (OASIS Common Alerting Protocol): our alerts written as CAP documents and an Atom
feed of them, and CAP documents from a partner's system read back, always checked against
the OASIS schema shipped beside this module (schemas/CAP-v1.2.xsd, ADR 0131).

What leaves: the point (name, coordinates), the level, the days and the counts. Never a
person, never the coordinator's free-text reason, never who acted."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from hbm.alerts.models import Alert, Level

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
SCHEMA = Path(__file__).parent / "schemas" / "CAP-v1.2.xsd"
CIRCLE_RADIUS_KM = 10
MAX_DOCUMENT = 1_000_000  # bytes; a CAP alert is a few kilobytes


@dataclass(frozen=True)
class Mapping:
    urgency: str
    severity: str
    certainty: str


# level → CAP urgency, severity, certainty (docs/alerts.md, "CAP 1.2")
LEVELS = {
    Level.NORMAL: Mapping("Past", "Minor", "Unlikely"),
    Level.WATCH: Mapping("Future", "Moderate", "Possible"),
    Level.WARNING: Mapping("Expected", "Severe", "Likely"),
    Level.EMERGENCY: Mapping("Immediate", "Extreme", "Observed"),
}
# CAP severity → level, for imports (a partner's Minor or Unknown is still worth a watch)
SEVERITIES = {
    "Extreme": Level.EMERGENCY,
    "Severe": Level.WARNING,
    "Moderate": Level.WATCH,
    "Minor": Level.WATCH,
    "Unknown": Level.WATCH,
}


class CapProblem(ValueError):
    """The document is not well-formed XML, carries a DTD, or is not valid CAP 1.2."""


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), _parser()))


def _parser() -> etree.XMLParser:
    """No DTD loaded, no entity expanded, nothing fetched over the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def sent(moment: datetime) -> str:
    """CAP's dateTime: an explicit offset and no fractional seconds."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def sender(host: str) -> str:
    return settings.CAP_SENDER or f"hbm@{host.split(':')[0]}"


def message_kind(alert: Alert) -> str:
    if alert.status == Alert.Status.CLOSED:
        return "Cancel"
    if alert.level != (alert.raised_level or alert.level):
        return "Update"
    return "Alert"


def message_identifier(alert: Alert) -> str:
    """The first message is the alert's UUID; an Update and a Cancel have their own."""
    kind = message_kind(alert)
    if kind == "Update":
        return f"{alert.public_id}-{alert.level}"
    if kind == "Cancel":
        return f"{alert.public_id}-cancel"
    return str(alert.public_id)


def message_sent(alert: Alert) -> datetime:
    kind = message_kind(alert)
    if kind == "Cancel" and alert.closed_at is not None:
        return alert.closed_at
    return alert.updated_at if kind == "Update" else alert.raised_at


def _sub(parent: Any, name: str, text: str) -> Any:
    child = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    child.text = text
    return child


def _description(alert: Alert) -> str:
    days = f"{alert.first_day.isoformat()} to {alert.last_day.isoformat()}"
    parts = [f"Arrivals at {alert.crossing_point.name}, {days}."]
    if alert.observed is not None:
        parts.append(f"Observed {alert.observed} a day")
        if alert.expected is not None:
            parts[-1] += f", expected {alert.expected:.0f}"
        if alert.threshold is not None:
            parts[-1] += f", threshold {alert.threshold:.0f}"
        parts[-1] += "."
    if alert.detector == "manual":
        parts.append("Reported by a coordinator.")
    return " ".join(parts)


def alert_document(alert: Alert, *, host: str) -> Any:
    """One CAP 1.2 <alert> element for ``alert`` (its point must be loaded)."""
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    who = sender(host)
    _sub(root, "identifier", message_identifier(alert))
    _sub(root, "sender", who)
    _sub(root, "sent", sent(message_sent(alert)))
    _sub(root, "status", "Actual")
    kind = message_kind(alert)
    _sub(root, "msgType", kind)
    _sub(root, "scope", settings.CAP_SCOPE)
    if settings.CAP_SCOPE == "Restricted":
        _sub(root, "restriction", settings.CAP_RESTRICTION)
    if kind != "Alert":
        _sub(root, "references", f"{who},{alert.public_id},{sent(alert.raised_at)}")
    info = etree.SubElement(root, f"{{{CAP_NS}}}info")
    _sub(info, "language", "en")
    _sub(info, "category", "Safety")
    _sub(info, "category", "Other")
    _sub(info, "event", "Surge of arrivals at a border crossing point")
    mapping = LEVELS[Level(alert.level)]
    _sub(info, "urgency", mapping.urgency)
    _sub(info, "severity", mapping.severity)
    _sub(info, "certainty", mapping.certainty)
    _sub(info, "senderName", "HBM early warning")
    point = alert.crossing_point
    _sub(info, "headline", f"{alert.get_level_display()}: arrivals at {point.name}")
    _sub(info, "description", _description(alert))
    area = etree.SubElement(info, f"{{{CAP_NS}}}area")
    _sub(area, "areaDesc", point.name)
    if point.latitude is not None and point.longitude is not None:
        _sub(area, "circle", f"{point.latitude},{point.longitude} {CIRCLE_RADIUS_KM}")
    return root


def to_bytes(element: Any) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))


def validate(element: Any) -> None:
    schema = _schema()
    if not schema.validate(element):
        raise CapProblem("; ".join(_errors(schema)))


def _errors(schema: etree.XMLSchema) -> list[str]:
    return [f"line {error.line}: {error.message}" for error in list(schema.error_log)[:5]]


def atom_feed(alerts: list[Alert], *, host: str, feed_url: str, cap_url: Any) -> bytes:
    """An Atom feed (RFC 4287) with one entry per alert, linking to its CAP document."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    for name, text in (
        ("id", feed_url),
        ("title", "HBM early-warning alerts (CAP 1.2)"),
        ("updated", sent(max((a.updated_at for a in alerts), default=timezone.now()))),
    ):
        etree.SubElement(feed, f"{{{ATOM_NS}}}{name}").text = text
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    etree.SubElement(author, f"{{{ATOM_NS}}}name").text = sender(host)
    etree.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=feed_url)
    for alert in alerts:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        url = cap_url(alert)
        etree.SubElement(entry, f"{{{ATOM_NS}}}id").text = f"urn:uuid:{alert.public_id}"
        headline = f"{alert.get_level_display()}: arrivals at {alert.crossing_point.name}"
        title = f"{message_kind(alert)} – {headline}"
        etree.SubElement(entry, f"{{{ATOM_NS}}}title").text = title
        etree.SubElement(entry, f"{{{ATOM_NS}}}updated").text = sent(alert.updated_at)
        etree.SubElement(entry, f"{{{ATOM_NS}}}summary").text = _description(alert)
        etree.SubElement(
            entry, f"{{{ATOM_NS}}}link", rel="alternate", type="application/cap+xml", href=url
        )
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8"))


@dataclass(frozen=True)
class Incoming:
    """What we keep of a partner's CAP alert."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str
    references: tuple[tuple[str, str], ...]  # (sender, identifier) of earlier messages
    level: str
    headline: str
    description: str
    area: str


def _text(parent: Any, name: str) -> str:
    found = parent.find(f"{{{CAP_NS}}}{name}")
    return "" if found is None or found.text is None else found.text.strip()


def parse(data: bytes) -> Incoming:
    """A partner's CAP 1.2 document, checked: well-formed, no DTD, valid against the schema,
    an Alert, Update or Cancel with status Actual, one info block at least."""
    if len(data) > MAX_DOCUMENT:
        raise CapProblem("The file is larger than 1 MB; a CAP alert is a few kilobytes.")
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise CapProblem(f"Not well-formed XML: {error.msg}") from error
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CapProblem("A DOCTYPE (DTD, entities) is not accepted in a CAP document.")
    root = tree.getroot()
    validate(root)
    if _text(root, "msgType") in ("Ack", "Error"):
        raise CapProblem("An Ack or Error message is not an alert: nothing to import.")
    if _text(root, "status") != "Actual":
        raise CapProblem("Only alerts with status Actual are imported (not tests or drafts).")
    info = root.find(f"{{{CAP_NS}}}info")
    if info is None:
        raise CapProblem("The alert has no <info> block: nothing to import.")
    area = info.find(f"{{{CAP_NS}}}area")
    return Incoming(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=datetime.fromisoformat(_text(root, "sent")),
        msg_type=_text(root, "msgType"),
        references=_references(_text(root, "references")),
        level=SEVERITIES[_text(info, "severity")],
        headline=_text(info, "headline") or _text(info, "event"),
        description=_text(info, "description"),
        area="" if area is None else _text(area, "areaDesc"),
    )


def _references(text: str) -> tuple[tuple[str, str], ...]:
    found = []
    for reference in text.split():
        parts = reference.split(",")
        if len(parts) == 3:
            found.append((parts[0], parts[1]))
    return tuple(found)
