"""Each request's database work is bounded (HBM_REQUEST_TIME_LIMIT): a request past its
deadline is cut with a clear 503, its writes roll back, and the bound neither leaks to the
connection's next use nor cuts a streamed body."""

import time

import pytest

from hbm.accounts.models import Agency
from hbm.lib.deadline import TOO_SLOW
from tests.lib.slow_urls import WRITTEN, busy

pytestmark = pytest.mark.urls("tests.lib.slow_urls")
LIMIT = 0.5


@pytest.fixture
def limit(settings):
    settings.REQUEST_TIME_LIMIT = LIMIT


def test_a_slow_request_is_cut_at_its_deadline_and_writes_nothing(client, db, limit):
    started = time.monotonic()
    response = client.get("/test/slow-write/", {"seconds": 30})
    assert time.monotonic() - started < LIMIT + 2
    assert response.status_code == 503
    assert TOO_SLOW in response.content.decode()
    assert not Agency.objects.filter(code=WRITTEN).exists()


def test_the_bound_ends_with_the_request(client, db, limit):
    assert client.get("/test/slow-write/", {"seconds": 30}).status_code == 503
    busy(LIMIT * 2)  # the same connection, outside a request: not cut
    assert client.get("/test/slow-write/", {"seconds": 0.01}).status_code == 200
    assert Agency.objects.filter(code=WRITTEN).exists()


def test_a_streamed_body_is_not_cut(client, db, limit):
    response = client.get("/test/slow-stream/", {"seconds": LIMIT * 2})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"start end"


def test_the_api_answers_503_in_its_error_format(client_for, officer_amina, settings):
    settings.REQUEST_TIME_LIMIT = 1e-9  # past before the first statement
    response = client_for(officer_amina).get("/api/v1/persons", {"name": "Amani"})
    assert response.status_code == 503
    assert response.json() == {"message": TOO_SLOW}
    settings.REQUEST_TIME_LIMIT = LIMIT
    assert client_for(officer_amina).get("/api/v1/persons").status_code == 200


def test_no_bound_when_the_limit_is_zero(client, db, settings):
    settings.REQUEST_TIME_LIMIT = 0
    assert client.get("/test/slow-write/", {"seconds": 0.8}).status_code == 200


def test_the_limit_comes_from_the_environment(monkeypatch):
    from hbm.lib.env import env_float

    monkeypatch.setenv("HBM_REQUEST_TIME_LIMIT", "2.5")
    assert env_float("HBM_REQUEST_TIME_LIMIT", 5.0) == 2.5


def test_work_for_every_later_request_is_not_cut(client, db, limit):
    # building an index of a million persons or a large watchlist takes longer than one
    # request may; cut, it would start again on the next request and never finish
    response = client.get("/test/slow-write/", {"seconds": LIMIT * 2, "unbounded": 1})
    assert response.status_code == 200
    assert Agency.objects.filter(code=WRITTEN).exists()


@pytest.mark.django_db(transaction=True)
def test_work_for_later_requests_outside_a_transaction_is_not_cut_and_the_bound_returns(
    client, limit
):
    # on PostgreSQL such a statement first runs under the bound, and runs again without it
    # when the server cancels it
    work = {"seconds": LIMIT * 2, "unbounded": 1, "atomic": 0}
    assert client.get("/test/slow-write/", work).status_code == 200
    assert client.get("/test/slow-write/", {**work, "then": LIMIT * 3}).status_code == 503


def test_unbounded_work_does_not_use_up_the_request_time(client, db, limit):
    response = client.get(
        "/test/slow-write/", {"seconds": LIMIT * 1.5, "unbounded": 1, "then": LIMIT * 0.2}
    )
    assert response.status_code == 200
