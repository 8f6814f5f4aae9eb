"""XLSForm → XForm with pyxform, the structure of an XForm (the paths a mapping may name),
and the reading of a submitted instance. Nothing here touches the database."""

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

XFORMS = "http://www.w3.org/2002/xforms"
XHTML = "http://www.w3.org/1999/xhtml"

NOT_AN_XLSFORM = "The file is not an XLSForm pyxform can read: {}"
NO_FORM_ID = "The form has no form_id (settings sheet)."
BAD_XML = "The submission is not well-formed XML: {}"
NO_INSTANCE_ID = "The submission has no meta/instanceID."
INSTANCE_ID_TOO_LONG = "The instanceID is longer than 249 characters."
NO_FORM_ID_IN_SUBMISSION = "The submission's root element has no id attribute (the form id)."


class XFormError(Exception):
    """The form or the submission can't be read; the message says why."""


@dataclass(frozen=True)
class Structure:
    form_id: str
    title: str
    version: str
    root: str
    paths: frozenset[str]  # every element of the primary instance, "/data/head/given_name"
    repeats: frozenset[str]  # the paths of repeat groups


@dataclass(frozen=True)
class Converted:
    xform: str
    structure: Structure


def xlsform_convert(content: bytes) -> Converted:
    """The XForm of an XLSForm (pyxform, no Java validation), or XFormError."""
    try:
        result = convert(xlsform=io.BytesIO(content), file_type=".xlsx", validate=False)
    except PyXFormError as error:
        raise XFormError(NOT_AN_XLSFORM.format(error)) from error
    except Exception as error:  # a broken zip, a sheet openpyxl refuses: hostile input
        raise XFormError(NOT_AN_XLSFORM.format(type(error).__name__)) from error
    return Converted(xform=result.xform, structure=xform_structure(result.xform))


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _walk(element: ET.Element, prefix: str, paths: set[str]) -> None:
    path = f"{prefix}/{_local(element.tag)}"
    paths.add(path)
    for child in element:
        _walk(child, path, paths)


def xform_structure(xform: str) -> Structure:
    try:
        html = ET.fromstring(xform)
    except ET.ParseError as error:
        raise XFormError(BAD_XML.format(error)) from error
    model = html.find(f"{{{XHTML}}}head/{{{XFORMS}}}model")
    instance = model.find(f"{{{XFORMS}}}instance") if model is not None else None
    if instance is None or len(instance) == 0:
        raise XFormError(NOT_AN_XLSFORM.format("no primary instance"))
    root = instance[0]
    form_id = root.get("id", "")
    if not form_id:
        raise XFormError(NO_FORM_ID)
    paths: set[str] = set()
    _walk(root, "", paths)
    body = html.find(f"{{{XHTML}}}body")
    repeats = {
        element.get("nodeset", "")
        for element in (body.iter(f"{{{XFORMS}}}repeat") if body is not None else ())
    }
    title = html.findtext(f"{{{XHTML}}}head/{{{XHTML}}}title") or form_id
    return Structure(
        form_id=form_id,
        title=title,
        version=root.get("version", ""),
        root=_local(root.tag),
        paths=frozenset(paths),
        repeats=frozenset(repeats & paths),
    )


@dataclass(frozen=True)
class Instance:
    """A submitted instance, its namespaces dropped (Collect and Kobo differ in them)."""

    element: ET.Element
    root: str
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str


def instance_parse(xml: bytes) -> Instance:
    """Read a submission's XML; XFormError if it is not XML or lacks the OpenRosa metadata.
    Python's expat refuses entity expansion bombs and never fetches external entities."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        raise XFormError(BAD_XML.format(error)) from error
    for element in root.iter():
        element.tag = _local(element.tag)
    form_id = root.get("id", "").strip()
    if not form_id:
        raise XFormError(NO_FORM_ID_IN_SUBMISSION)
    instance_id = (root.findtext("meta/instanceID") or "").strip()
    if not instance_id:
        raise XFormError(NO_INSTANCE_ID)
    if len(instance_id) > 249:
        raise XFormError(INSTANCE_ID_TOO_LONG)
    return Instance(
        element=root,
        root=root.tag,
        form_id=form_id,
        version=root.get("version", ""),
        instance_id=instance_id,
        deprecated_id=(root.findtext("meta/deprecatedID") or "").strip(),
    )
