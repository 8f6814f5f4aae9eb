import pytest
from django.db import DatabaseError, connection, transaction

from hbm.audit.models import AppendOnlyError, AuditEvent
from hbm.audit.services import audit_record


@pytest.fixture
def event(officer_amina):
    return audit_record(
        actor=officer_amina,
        action=AuditEvent.Action.VIEW,
        object_type="registry.person",
        object_id="p-1",
        fields=["name", "dob"],
    )


def test_events_record_who_what_and_which_fields(event, officer_amina):
    assert (event.actor, event.actor_label, event.action) == (officer_amina, "amina", "view")
    assert (event.object_type, event.object_id, event.fields) == (
        "registry.person",
        "p-1",
        ["dob", "name"],
    )


def test_the_orm_offers_no_way_to_change_or_delete_events(event):
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_updates_beneath_the_orm(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'rewritten'")
    event.refresh_from_db()
    assert event.detail == ""


def test_the_database_refuses_deletes_beneath_the_orm(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_site_cannot_add_change_or_delete_events(client_for, admin_samuel, event):
    admin_samuel.is_superuser = True
    admin_samuel.save()
    client = client_for(admin_samuel)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"detail": "x"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.detail == ""


def test_only_administrators_open_the_viewer(
    client_for, event, officer_amina, coordinator_patrick, security_joseph, admin_samuel
):
    for user in (officer_amina, coordinator_patrick, security_joseph):
        assert client_for(user).get("/audit/").status_code == 403
        assert client_for(user).get("/api/v1/audit/events").status_code == 403
    response = client_for(admin_samuel).get("/audit/")
    assert response.status_code == 200
    assert "registry.person" in response.content.decode()


def test_the_viewer_filters_and_pages_by_id(client_for, admin_samuel, officer_amina):
    for n in range(130):
        audit_record(
            actor=officer_amina, action="view", object_type="registry.person", object_id=f"p-{n}"
        )
    audit_record(actor=admin_samuel, action="export", object_type="registry.person")
    client = client_for(admin_samuel)
    # the administrator's own reads of the log are view events too: filter them out
    html = client.get("/audit/?action=view&object_type=registry.person").content.decode()
    assert html.count("<code>p-") == 100
    assert "p-129" in html and "p-29<" not in html and "Older" in html
    older = html.split('href="?', 2)[-1].split('"', 1)[0].replace("&amp;", "&")
    html = client.get(f"/audit/?{older}").content.decode()
    assert html.count("<code>p-") == 30 and "p-0<" in html
    api = client.get("/api/v1/audit/events?action=export").json()
    assert [e["actor"] for e in api["results"]] == ["samuel"]
    assert client.get("/api/v1/audit/events?since=yesterday").status_code == 422
    assert "Enter a valid date" in client.get("/audit/?since=nonsense").content.decode()
