"""The movement pages: plan a movement (bad input shown on its field), find and add a family,
a split refused without a reason, tick and scan check-in, the missing on arrival."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from hbm.fieldops.models import ManifestEntry, Movement
from hbm.fieldops.services import movements as services
from tests.fieldops.conftest import LOCAL, movement_form

HOUR = timedelta(hours=1)


def test_plan_a_movement_and_see_a_bad_arrival_on_its_field(client_for, coordinator_patrick):
    client = client_for(coordinator_patrick)
    now = timezone.localtime()
    bad = client.post(
        "/fieldops/movements/new/", movement_form(planned_arrival=now.strftime(LOCAL))
    )
    assert bad.status_code == 422
    assert services.ARRIVAL_BEFORE_DEPARTURE in bad.content.decode()
    assert not Movement.objects.exists()
    made = client.post("/fieldops/movements/new/", movement_form())
    movement = Movement.objects.get()
    assert made.status_code == 302 and str(movement.public_id) in made["Location"]
    listed = client.get("/fieldops/movements/").content.decode()
    assert str(movement.public_id) in listed and "Bus UN-12" in listed
    assert "Bus UN-12" not in client.get("/fieldops/movements/?status=arrived").content.decode()


def test_find_add_check_in_and_list_the_missing(
    client_for,
    coordinator_patrick,
    families,
):
    dengs, lokos = families
    client = client_for(coordinator_patrick)
    client.post("/fieldops/movements/new/", movement_form())
    movement = Movement.objects.get()
    base = f"/fieldops/movements/{movement.public_id}"
    found = client.get(f"{base}/find/", {"q": "Deng"}, HTTP_HX_REQUEST="true").content.decode()
    group = str(dengs[0].memberships.get().group.public_id)
    assert "Achol Deng" in found and group in found
    split = client.post(f"{base}/add/", {"persons": str(dengs[0].public_id)})
    assert split.status_code == 422 and 'id="split-form"' in split.content.decode()
    assert "Garang Deng, Ayen Deng" in split.content.decode()
    assert client.post(f"{base}/add/", {"group": group}).status_code == 302
    assert client.post(f"{base}/add/", {"persons": ",".join(str(p.public_id) for p in lokos)})
    ticked = client.post(
        f"{base}/board/", {"person": str(dengs[0].public_id)}, HTTP_HX_REQUEST="true"
    )
    assert ticked.status_code == 200 and "1 boarded" in ticked.content.decode()
    wrong = client.post(f"{base}/board/", {"code": "zzzzzzzz"}, HTTP_HX_REQUEST="true")
    assert escape(services.NO_SUCH_CODE.format("zzzzzzzz")) in wrong.content.decode()
    client.post(f"{base}/board/", {"code": str(dengs[1].public_id)[:8]})
    client.post(f"{base}/remove/", {"person": str(lokos[1].public_id)})
    client.post(f"{base}/remove/", {"person": str(lokos[0].public_id)})
    assert ManifestEntry.objects.count() == 3
    assert client.post(f"{base}/depart/").status_code == 302
    client.post(f"{base}/arrive/", {"person": str(dengs[0].public_id)})
    assert client.post(f"{base}/close/").status_code == 302
    page = client.get(f"{base}/").content.decode()
    missing = page.split('id="missing"')[1]
    assert "Garang Deng" in missing and "Achol Deng" not in missing
    # Ayen never boarded: not missing, only left behind
    assert "Ayen Deng" not in missing
    again = client.post(f"{base}/close/", follow=True).content.decode()
    assert services.NOT_UNDER_WAY in again
