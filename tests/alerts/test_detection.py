"""Detection on a point's real series (tallies through the flows service): alerts raised,
kept up to date rather than duplicated, re-raised only after a close; queued as data arrives
and run by the worker; notices by email and to a webhook on a loopback server."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from hbm.alerts.models import Alert, AlertDelivery
from hbm.alerts.queue import detection_queue, detection_queue_forget
from hbm.alerts.services import alerts as services
from hbm.alerts.services.detection import detect_all, detect_point
from hbm.alerts.tasks import detect_point as detect_point_task
from hbm.alerts.tasks import notify_alert
from hbm.places.models import BorderCrossingPoint
from tests.alerts.conftest import WORKER, arrivals, weekly
from tests.registry.helpers import register

# point-a receives 500 a day (the factory's capacity); 100 a day is the usual
SURGE = [*weekly(3), 300, 480, 560]


def _by_detector():
    return {a.detector: a for a in Alert.objects.filter(nationality="")}


def test_a_surge_raises_one_alert_per_detector_with_its_evidence(db, enumerator_esther):
    end = arrivals(enumerator_esther, SURGE)
    assert detect_all(days=7) >= 3
    found = _by_detector()
    assert set(found) == {"capacity", "poisson_dow"}
    capacity = found["capacity"]
    assert capacity.level == "emergency"  # 560 is 112 % of 500
    # 480 is 96 %: a warning the day before, raised to emergency
    assert (capacity.first_day, capacity.last_day) == (end - timedelta(days=1), end)
    assert capacity.observed == 560 and capacity.threshold == 550
    assert capacity.evidence["observed"][-3:] == [300, 480, 560]
    assert capacity.evidence["days"][-1] == end.isoformat()
    assert found["poisson_dow"].level == "warning"  # three times the usual
    assert found["poisson_dow"].first_day == end - timedelta(days=2)
    # the same nationality's own series alarms too (everyone here is South Sudanese)
    assert Alert.objects.filter(nationality="SSD", detector="poisson_dow").count() == 1


def test_running_again_updates_the_open_alert_instead_of_raising_another(db, enumerator_esther):
    arrivals(enumerator_esther, SURGE)
    detect_all(days=7)
    before = Alert.objects.count()
    assert detect_all(days=7) == 0
    assert Alert.objects.count() == before
    notices = DBTaskResult.objects.filter(task_path=notify_alert.module_path).count()
    detect_all(days=7)
    assert DBTaskResult.objects.filter(task_path=notify_alert.module_path).count() == notices


def test_a_closed_alert_is_not_raised_again_for_its_days_but_a_new_surge_is(
    db, enumerator_esther, coordinator_patrick
):
    end = arrivals(enumerator_esther, SURGE)
    detect_all(days=7)
    capacity = Alert.objects.get(detector="capacity")
    services.alert_close(actor=coordinator_patrick, alert=capacity)
    detect_all(days=7)
    assert Alert.objects.filter(detector="capacity").count() == 1
    later = end + timedelta(days=1)
    arrivals(enumerator_esther, [600], end=later)
    detect_point(point=BorderCrossingPoint.objects.get(code="point-a"), today=later)
    reopened = Alert.objects.get(detector="capacity", status="open")
    assert reopened.first_day == later and reopened.level == "emergency"


def test_an_ordinary_series_raises_nothing(db, enumerator_esther):
    arrivals(enumerator_esther, weekly(4))
    assert detect_all(days=14) == 0
    assert not Alert.objects.exists()


def test_a_registration_queues_one_detection_for_its_point_however_many_arrive(
    transactional_db, officer_amina, point_a
):
    person = {"given_name": "Akol", "family_name": "Deng", "sex": "M", "nationality": "SSD"}
    register(officer_amina, person)
    register(officer_amina, {**person, "given_name": "Nyandeng", "sex": "F"})
    queued = DBTaskResult.objects.filter(task_path=detect_point_task.module_path, status="READY")
    assert [task.args_kwargs["args"] for task in queued] == [[point_a.pk]]
    assert queued.get().run_after is not None  # a minute later, to gather the busy minute
    assert detection_queue([point_a.pk]) == []
    with CaptureQueriesContext(connection) as queries:  # known to wait: nothing asked
        assert detection_queue([point_a.pk]) == []
    assert not queries.captured_queries
    detection_queue_forget()  # another process, which knows nothing yet, asks once
    with CaptureQueriesContext(connection) as queries:
        assert detection_queue([point_a.pk]) == []
    assert len(queries.captured_queries) == 1


def test_a_tally_queues_a_detection_of_its_point_and_so_does_voiding_one(
    transactional_db, enumerator_esther, point_a
):
    from hbm.flows.services import flow_count_void

    arrivals(enumerator_esther, [40, 50])
    queued = DBTaskResult.objects.filter(task_path=detect_point_task.module_path)
    assert [task.args_kwargs["args"] for task in queued] == [[point_a.pk]]
    queued.delete()  # as if it had run (the process remembers it waiting until it starts)
    detection_queue_forget()
    count = point_a.flow_counts.first()
    flow_count_void(actor=enumerator_esther, count=count, reason="Entered twice")
    assert [task.args_kwargs["args"] for task in queued.all()] == [[point_a.pk]]


class _Receiver(BaseHTTPRequestHandler):
    received: list = []
    answer = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Content-Type"], json.loads(body)))
        self.send_response(type(self).answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    _Receiver.received, _Receiver.answer = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver
    server.shutdown()
    server.server_close()


def test_the_worker_sends_each_new_alert_by_email_and_to_the_webhooks(
    transactional_db, enumerator_esther, coordinator_with_mail, webhook, settings
):
    url, receiver = webhook
    settings.ALERT_WEBHOOKS = [url, "http://127.0.0.1:9/refused"]
    settings.ALERT_WEBHOOK_TIMEOUT = 2
    arrivals(enumerator_esther, [*weekly(3), 560])
    raised = detect_all(days=3)
    call_command(*WORKER)
    alerts = Alert.objects.all()
    assert raised == alerts.count() > 0
    subjects = sorted(message.subject for message in mail.outbox)
    assert "[Emergency] Arrivals alert at Point A" in subjects
    assert all(m.to == ["patrick@coordination.example"] for m in mail.outbox)
    levels = sorted(payload["level"] for _type, payload in receiver.received)
    assert "emergency" in levels and len(receiver.received) == alerts.count()
    assert {content_type for content_type, _ in receiver.received} == {"application/json"}
    failed = AlertDelivery.objects.filter(ok=False)
    assert failed.count() == alerts.count()  # the refused URL, recorded, not raised
    assert all(d.target.endswith("/refused") and d.error for d in failed)
    assert AlertDelivery.objects.filter(channel="email", ok=True).count() == alerts.count()


def test_a_webhook_answering_an_error_is_recorded_with_its_status(
    transactional_db, enumerator_esther, webhook, settings, coordinator_patrick
):
    url, receiver = webhook
    receiver.answer = 500
    settings.ALERT_WEBHOOKS = [url]
    alert = services.alert_raise_manual(
        actor=coordinator_patrick,
        data=services.ManualAlertInput(
            crossing_point="point-a", level="warning", reason="UNHCR Uganda: 2,000 at Oraba"
        ),
    )
    call_command(*WORKER)
    delivery = AlertDelivery.objects.get(alert=alert, channel="webhook")
    assert (delivery.ok, delivery.error) == (False, "HTTP 500")
    assert receiver.received[0][1]["reason"] == "UNHCR Uganda: 2,000 at Oraba"


def test_the_command_detects_on_demand_and_names_bad_options(db, enumerator_esther, capsys):
    arrivals(enumerator_esther, SURGE)
    call_command("alerts", "detect", "--point", "point-a")
    assert "alerts raised" in capsys.readouterr().out
    assert Alert.objects.filter(crossing_point__code="point-a").exists()
    with pytest.raises(CommandError) as problem:
        call_command("alerts", "detect", "--point", "nowhere", "--days", "0")
    assert str(problem.value).splitlines() == [
        "--point: no crossing point has the code 'nowhere'",
        "--days: give a number of days from 1 to 366",
    ]
