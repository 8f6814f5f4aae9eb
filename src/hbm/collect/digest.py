"""HTTP Digest authentication (RFC 7616) as ODK Collect and KoboCollect speak it: ``qop="auth"``,
MD5 (SHA-256 accepted too), a nonce the server signs instead of storing. Pure functions: the
credential lookup, the audit and the answer are the service's and the view's.

A nonce is ``<issued, hex seconds>.<16 random hex>.<HMAC>``: the HMAC (Django's ``salted_hmac``
over the server's SECRET_KEY and the realm) proves this server issued it, the time bounds how
long it serves. Nothing is stored per nonce (docs/decisions/0135)."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlsplit
from urllib.request import parse_http_list

from django.utils.crypto import constant_time_compare, salted_hmac

# What a device computes the response with; MD5 is what Collect's OkHttp authenticator does.
ALGORITHMS = {"MD5": "md5", "SHA-256": "sha256"}
OFFERED = "MD5"
NONCE_LIFETIME = timedelta(minutes=5)
_KEY_SALT = "hbm.collect.digest.nonce"
_REQUIRED = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")

INCOMPLETE = "The Digest authorization lacks {}."
UNSUPPORTED = "Digest with {} is not supported: use qop=auth and MD5 or SHA-256."


class DigestMalformed(Exception):
    """An ``Authorization: Digest`` header this server cannot check; the message says why."""


@dataclass(frozen=True)
class DigestAttempt:
    """The fields of an ``Authorization: Digest`` header."""

    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    nc: str
    cnonce: str
    algorithm: str
    qop: str = "auth"


def _hash(algorithm: str, text: str) -> str:
    return hashlib.new(ALGORITHMS[algorithm], text.encode("utf-8")).hexdigest()


def ha1s(*, username: str, realm: str, password: str) -> dict[str, str]:
    """What the server keeps to check Digest responses: H(username:realm:password) for each
    algorithm, with the realm they were computed for. Password-equivalent for that realm."""
    return {
        "realm": realm,
        **{name: _hash(name, f"{username}:{realm}:{password}") for name in ALGORITHMS},
    }


def expected_response(*, ha1: str, attempt: DigestAttempt, method: str) -> str:
    ha2 = _hash(attempt.algorithm, f"{method}:{attempt.uri}")
    text = f"{ha1}:{attempt.nonce}:{attempt.nc}:{attempt.cnonce}:{attempt.qop}:{ha2}"
    return _hash(attempt.algorithm, text)


def response_matches(*, ha1: str, attempt: DigestAttempt, method: str) -> bool:
    """Compared in constant time."""
    expected = expected_response(ha1=ha1, attempt=attempt, method=method)
    return constant_time_compare(expected, attempt.response.lower())


def _mac(realm: str, body: str) -> str:
    return salted_hmac(_KEY_SALT, f"{realm}:{body}", algorithm="sha256").hexdigest()[:32]


def nonce_issue(*, realm: str, issued_at: float | None = None) -> str:
    stamp = int(time.time() if issued_at is None else issued_at)
    body = f"{stamp:x}.{secrets.token_hex(8)}"
    return f"{body}.{_mac(realm, body)}"


def nonce_fresh(*, nonce: str, realm: str, now: float | None = None) -> bool:
    """Issued by this server (under its current SECRET_KEY, for this realm) less than
    NONCE_LIFETIME ago. A nonce that fails is answered ``stale=true`` when the response was
    right, so the device retries with a new one without asking its user."""
    body, _, mac = nonce.rpartition(".")
    stamp_hex, dot, _ = body.partition(".")
    if not dot or not constant_time_compare(mac, _mac(realm, body)):
        return False
    try:
        age = (time.time() if now is None else now) - int(stamp_hex, 16)
    except ValueError:
        return False
    return 0 <= age <= NONCE_LIFETIME.total_seconds()


def opaque(realm: str) -> str:
    """Sent with every challenge, as servers Collect talks to do; it carries no state."""
    return salted_hmac(_KEY_SALT, f"opaque:{realm}", algorithm="sha256").hexdigest()[:32]


def challenge(*, realm: str, stale: bool = False) -> str:
    """The Digest challenge of a 401, with a new nonce."""
    parts = [
        f'Digest realm="{realm}"',
        'qop="auth"',
        f'nonce="{nonce_issue(realm=realm)}"',
        f'opaque="{opaque(realm)}"',
        f"algorithm={OFFERED}",
        "charset=UTF-8",
    ]
    if stale:
        parts.append("stale=true")
    return ", ".join(parts)


def _fields(text: str) -> dict[str, str]:
    fields = {}
    for item in parse_http_list(text):
        name, equals, value = item.partition("=")
        if not equals:
            raise DigestMalformed(INCOMPLETE.format(name.strip() or "its fields"))
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        fields[name.strip().lower()] = value
    return fields


def parse_authorization(header: str) -> DigestAttempt | None:
    """The attempt of an ``Authorization: Digest`` header; None for another scheme;
    DigestMalformed for a Digest header without what ``qop=auth`` needs."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    fields = _fields(rest)
    missing = [name for name in _REQUIRED if not fields.get(name)]
    if missing:
        raise DigestMalformed(INCOMPLETE.format(", ".join(missing)))
    algorithm = fields.get("algorithm", "MD5").upper()
    if algorithm not in ALGORITHMS:
        raise DigestMalformed(UNSUPPORTED.format(f"algorithm={fields['algorithm']}"))
    if fields["qop"].lower() != "auth":
        raise DigestMalformed(UNSUPPORTED.format(f"qop={fields['qop']}"))
    if fields.get("userhash", "false").lower() != "false":
        raise DigestMalformed(UNSUPPORTED.format("userhash"))
    return DigestAttempt(
        **{name: fields[name] for name in _REQUIRED if name != "qop"}, algorithm=algorithm
    )


def uri_matches(uri: str, *, path: str, query: str) -> bool:
    """The ``uri`` a response was computed over names this request (path decoded, query as
    sent); a header copied to another URL is refused."""
    parts = urlsplit(uri)
    return unquote(parts.path) == path and parts.query == query
