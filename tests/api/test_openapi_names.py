import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import Router, Schema

from hbm.api import HbmAPI
from hbm.assessments.models import Assessment, Recommendation, Template
from hbm.places.models import BorderCrossingPoint


def _schema(spec, name):
    return spec["components"]["schemas"][name]


def test_each_status_in_the_document_has_its_own_values(client, db):
    """Four models name their choices Status: each answer's schema lists its own."""
    spec = client.get("/api/v1/openapi.json").json()
    for schema, choices in (
        ("CrossingPointOut", BorderCrossingPoint.Status),
        ("TemplateOut", Template.Status),
        ("AssessmentOut", Assessment.Status),
        ("RecommendationOut", Recommendation.Status),
    ):
        status = _schema(spec, schema)["properties"]["status"]
        assert status["enum"] == list(choices.values), schema


def test_the_two_imports_answers_are_described_apart(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert "created" in _schema(spec, "PlacesImportOut")["properties"]
    assert "persons" in _schema(spec, "RegistrationImportOut")["properties"]


def test_the_flow_series_pages_by_limit_and_offset(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    parameters = spec["paths"]["/api/v1/flows/series"]["get"]["parameters"]
    assert {"limit", "offset"} <= {p["name"] for p in parameters}


def test_two_schemas_of_one_name_stop_the_document():
    def one_router(field: str) -> Router:
        out = type("Out", (Schema,), {"__annotations__": {field: int}})  # same name, new fields
        router = Router()
        router.get(f"/{field}", response=list[out])(lambda request: [])
        return router

    api = HbmAPI(urls_namespace="clash-test")
    api.add_router("/a", one_router("a"))
    api.add_router("/b", one_router("b"))
    with pytest.raises(ImproperlyConfigured, match="named 'Out'"):
        api.get_openapi_schema(path_prefix="")
