import base64
import copy
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import hbm.collect
from hbm.collect.services.credentials import collect_credential_create
from hbm.collect.services.forms import collect_form_upload

TEMPLATE = Path(hbm.collect.__file__).parent / "data" / "registration.xlsx"
XFORMS = "{http://www.w3.org/2002/xforms}"
XHTML = "{http://www.w3.org/1999/xhtml}"
JR_TEMPLATE = "{http://openrosa.org/javarosa}template"

HEAD = {
    "given_name": "Amani",
    "family_name": "Lado",
    "sex": "F",
    "date_of_birth": "1990-04-02",
    "nationality": "SSD",
    "document_number": "P1234567",
    "phone": "+211 912 345 678",
}
CHILDREN = [
    {
        "relationship": "child",
        "given_name": "Deng",
        "family_name": "Lado",
        "sex": "M",
        "age_estimate": "7",
        "nationality": "SSD",
    },
    {
        "relationship": "child",
        "given_name": "Nyandeng",
        "family_name": "Lado",
        "sex": "F",
        "date_of_birth": "2019-01-15",
    },
]
GROUP = {
    "start": "2026-12-06T08:15:00.000+02:00",
    "end": "2026-12-06T08:25:00.000+02:00",
    "direction": "entry",
    "consent": "yes",
    "transport": "on_foot",
    "reason": "conflict",
    "origin_country": "SSD",
    "destination": "Kampala",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def xlsform():
    return TEMPLATE.read_bytes()


@pytest.fixture
def form_a(coordinator_patrick, point_a, xlsform):
    return collect_form_upload(
        actor=coordinator_patrick,
        content=xlsform,
        filename="registration.xlsx",
        crossing_points=[point_a],
    )


@pytest.fixture
def amina_device(officer_amina):
    credential, password = collect_credential_create(actor=officer_amina, name="Tablet 1")
    return credential, password


@pytest.fixture
def bintu_device(officer_bintu):
    return collect_credential_create(actor=officer_bintu, name="Tablet 9")


def basic(credential_and_password):
    credential, password = credential_and_password
    token = base64.b64encode(f"{credential.username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_OPENROSA_VERSION": "1.0"}


def instance_xml(
    xform: str,
    *,
    group=None,
    head=None,
    members=None,
    instance_id=None,
    deprecated_id="",
) -> bytes:
    """A submission as Collect writes it, built from the XForm's primary instance: the
    repeat's template dropped, one repeat per member, the values filled in, no namespace."""
    html = ET.fromstring(xform)
    primary = html.find(f"{XHTML}head/{XFORMS}model/{XFORMS}instance")[0]
    root = copy.deepcopy(primary)
    for element in root.iter():
        element.tag = element.tag.removeprefix(XFORMS)
    repeat = next(e for e in root if e.tag == "members" and e.get(JR_TEMPLATE) is not None)
    blank = copy.deepcopy(repeat)
    blank.attrib.pop(JR_TEMPLATE)
    for element in [e for e in root if e.tag == "members"]:
        root.remove(element)
    position = list(root).index(root.find("meta"))
    for offset, values in enumerate(CHILDREN if members is None else members):
        item = copy.deepcopy(blank)
        for name, value in values.items():
            item.find(name).text = value
        root.insert(position + offset, item)
    for name, value in (GROUP if group is None else group).items():
        root.find(name).text = value
    for name, value in (HEAD if head is None else head).items():
        root.find(f"head/{name}").text = value
    meta = root.find("meta")
    meta.find("instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    if deprecated_id:
        ET.SubElement(meta, "deprecatedID").text = deprecated_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
