"""Production hardening: HBM_SECURE turns on HTTPS-only behaviour; every response carries a
Content-Security-Policy that the templates can live with (no inline script or handler)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

import hbm
from hbm.lib.env import FIELD_KEYS_NEEDED

TEMPLATES = Path(hbm.__file__).parent
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


def check_deploy(tmp_path, **env):
    # The browser tests' conftest allows async-unsafe calls in this process; a deployment
    # doesn't, and check --deploy says so.
    ours = {"DATABASE_URL", "DEBUG", "HBM_SECURE", "HBM_FIELD_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env, HBM_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 20 + "k3Y-" * 12)
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--settings=hbm.settings"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_hbm_secure_makes_check_deploy_clean(tmp_path):
    plain = check_deploy(tmp_path)
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(
        re.findall(r"security\.W\d+", plain.stderr + plain.stdout)
    )
    assert "hbm.keys.W001" in plain.stderr + plain.stdout  # field keys in var/
    secure = check_deploy(tmp_path, HBM_SECURE="1", HBM_FIELD_KEYS=Fernet.generate_key().decode())
    assert secure.returncode == 0, secure.stderr
    assert "no issues" in secure.stdout + secure.stderr


def test_hbm_secure_without_field_keys_does_not_start(tmp_path):
    refused = check_deploy(tmp_path, HBM_SECURE="1")
    assert refused.returncode != 0
    assert FIELD_KEYS_NEEDED in refused.stderr


def test_every_response_carries_the_content_security_policy(client, officer_amina):
    client.force_login(officer_amina)
    for url in ("/", "/accounts/login/", "/api/v1/openapi.json", "/registry/persons/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("templates/**/*.html")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "the Content-Security-Policy would block these"


def test_pages_of_a_logged_in_user_are_never_stored(client, client_for, officer_amina):
    """A shared or seized field laptop's cache and back button show no record after logout."""
    anonymous = client.get("/accounts/login/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    for path in ("/", "/registry/people/", "/api/v1/persons"):
        response = client_for(officer_amina).get(path)
        assert response.status_code == 200
        assert {"no-store", "private"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }, path
