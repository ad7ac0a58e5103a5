"""Importing today's subscribers: upload, a preview before anything is written, then import."""

import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletter import importing
from newsletter.mailer import run_worker
from newsletter.models import (
    ConsentEvent,
    ImportRecord,
    ImportUpload,
    OutboundEmail,
    Subscriber,
    SubscriberEmail,
)
from tests.conftest import visible_text
from tests.newsletter.factories import SubscriberFactory
from tests.newsletter.import_files import big_export, export

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:newsletter_subscriber_import")


def upload(client, data, name="bulletin-export.csv"):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "text/csv")})
    return response


def preview_url(client, data):
    response = upload(client, data)
    assert response.status_code == 302, visible_text(response.content.decode())[-500:]
    return response["Location"]


ROWS = [
    ["new.person@Example.COM", "25/03/2024", "E-bulletin sign-up form"],
    ["already@example.com", "2024-01-02", "E-bulletin"],
    ["left@example.com", "2024-01-02", "E-bulletin"],
    ["not an address", "2024-01-02", "E-bulletin"],
    ["no.date@example.com", "", "E-bulletin"],
    ["future@example.com", "01/01/2099", "E-bulletin"],
    ["NEW.person@example.com", "26/03/2024", "Paper form"],
    ["second@example.org", "2023-11-05T14:20:00", ""],
]


@pytest.fixture
def on_the_list():
    SubscriberFactory(email="already@example.com")
    SubscriberFactory(email="left@example.com", status="unsubscribed")


def test_the_preview_counts_everything_and_writes_nothing(staff_client, on_the_list):
    page = staff_client.get(preview_url(staff_client, export(ROWS)))
    text = visible_text(page.content.decode())
    assert "New people to add: 2" in text
    assert "Already on the list: 2" in text
    assert "Rows that cannot be used: 3" in text
    assert "Repeated in the file: 1" in text
    assert "new.person@example.com" in text  # the domain tidied, as at sign-up
    assert "Not an email address" in text and "No consent date" in text
    assert "The consent date is in the future" in text
    assert Subscriber.objects.count() == 2 and not ImportRecord.objects.exists()
    # The file itself is not kept; only its usable rows, until import or cancel.
    upload_row = ImportUpload.objects.get()
    assert [row[1] for row in upload_row.rows] == [
        "new.person@example.com",
        "already@example.com",
        "left@example.com",
        "second@example.org",
    ]


def test_cancelling_writes_nothing_and_forgets_the_rows(staff_client, on_the_list):
    url = preview_url(staff_client, export(ROWS))
    response = staff_client.post(url, {"cancel": "1"})
    assert response.status_code == 302
    assert Subscriber.objects.count() == 2
    assert not ImportUpload.objects.exists() and not ImportRecord.objects.exists()
    assert staff_client.get(url).status_code == 302  # the preview has gone


def import_now(client, url, data):
    """Press "Import", then run the worker's import job, as the worker would within a minute."""
    assert client.post(url, data).status_code == 302
    waiting = visible_text(client.get(url).content.decode())
    assert "The worker is adding the people from this file" in waiting
    assert importing.run_queued_imports() == 1
    return client.get(url)


def test_importing_keeps_consent_provenance_and_emails_nobody(staff_client, on_the_list):
    url = preview_url(staff_client, export(ROWS))
    done = import_now(staff_client, url, {})
    record = ImportRecord.objects.get()
    assert done["Location"] == reverse("admin:newsletter_importrecord_change", args=[record.pk])
    assert (record.file_name, record.imported_by_username) == ("bulletin-export.csv", "editor")
    assert (record.added_count, record.existing_count) == (2, 2)
    assert (record.invalid_count, record.duplicate_count) == (3, 1)
    assert not record.asked_to_confirm
    person = Subscriber.objects.get(email="new.person@example.com")
    assert person.status == "confirmed" and person.imported_from == "E-bulletin sign-up form"
    assert person.original_consent_at.date().isoformat() == "2024-03-25"
    assert person.import_record == record
    (event,) = person.events.all()
    assert event.kind == ConsentEvent.Kind.IMPORTED
    assert "Agreed on 25 March 2024 at E-bulletin sign-up form" in event.note
    assert "imported from “bulletin-export.csv” by editor" in event.note
    # Left as they were: the unsubscribed person stays unsubscribed.
    assert Subscriber.objects.get(email="left@example.com").status == "unsubscribed"
    assert not person.events.filter(kind="signed_up").exists()
    run_worker(once=True, rate=0)
    assert not OutboundEmail.objects.exists() and not SubscriberEmail.objects.exists()
    assert ImportUpload.objects.get().rows == []  # the rows are gone once imported
    log = LogEntry.objects.get()
    assert log.object_repr == str(record) and log.user.username == "editor"
    # Pressing the button twice imports nothing more.
    assert staff_client.post(url, {}).status_code == 302
    assert importing.run_queued_imports() == 0
    assert ImportRecord.objects.count() == 1


def test_asking_everyone_to_confirm_again_emails_each_new_person_once(
    staff_client, on_the_list, mailoutbox
):
    url = preview_url(staff_client, export(ROWS))
    import_now(staff_client, url, {"ask_to_confirm": "on"})
    added = Subscriber.objects.filter(import_record__isnull=False)
    assert {s.status for s in added} == {"pending"}
    run_worker(once=True, rate=0)
    assert sorted(m.to[0] for m in mailoutbox) == ["new.person@example.com", "second@example.org"]
    assert all("Please confirm" in m.subject for m in mailoutbox)
    # The link in the email confirms them, as a sign-up's would.
    (path,) = re.findall(
        r"http://127\.0\.0\.1:8000(/newsletter/confirm/[^/\s]+/)", mailoutbox[0].body
    )
    assert staff_client.post(path).status_code == 302
    assert Subscriber.objects.get(email=mailoutbox[0].to[0]).status == "confirmed"


def test_an_import_stopped_half_way_leaves_nothing_and_is_done_again(
    staff_client, on_the_list, monkeypatch
):
    url = preview_url(staff_client, export(ROWS))
    staff_client.post(url, {})

    def worker_dies(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(ConsentEvent.objects, "bulk_create", worker_dies)
    with pytest.raises(RuntimeError):
        importing.run_queued_imports()
    assert Subscriber.objects.count() == 2 and not ImportRecord.objects.exists()
    monkeypatch.undo()
    assert importing.run_queued_imports() == 1
    assert ImportRecord.objects.get().added_count == 2
    assert ConsentEvent.objects.filter(kind="imported").count() == 2


def test_files_that_cannot_be_read_are_refused_politely(staff_client):
    cases = [
        (b"", "The submitted file is empty."),
        (export([], header=["Email", "Consent date"]), "The file has no rows under its first row."),
        (export([["a@example.com"]], header=["Name"]), "could not find one called “email”"),
        (export([["a@example.com"]], header=["Email"]), "needs a “consent date” column"),
        (b'Email,Consent date\n"a@example.com', "is not a CSV file we can read"),
    ]
    for data, message in cases:
        response = upload(staff_client, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not ImportUpload.objects.exists()


def test_only_people_allowed_to_import_can(client, django_user_model):
    from django.contrib.auth.models import Group

    from tests.conftest import sign_in_with_code

    editor = django_user_model.objects.create_user("writer", password="x" * 20, is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editor"))
    sign_in_with_code(client, editor)
    assert client.get(UPLOAD).status_code == 403
    manager = django_user_model.objects.create_user("manager", password="x" * 20, is_staff=True)
    manager.groups.add(Group.objects.get(name="Newsletter manager"))
    client.logout()
    sign_in_with_code(client, manager)
    assert client.get(UPLOAD).status_code == 200


def test_fifty_thousand_rows_preview_within_a_request_and_import(staff_client, capsys):
    data, expected = big_export(50_000)
    started = time.monotonic()
    url = preview_url(staff_client, data)
    page = staff_client.get(url)
    preview_seconds = time.monotonic() - started
    text = visible_text(page.content.decode())
    assert f"New people to add: {expected['new']}" in text
    assert f"Rows that cannot be used: {expected['invalid']}" in text
    assert f"Repeated in the file: {expected['duplicates']}" in text
    assert not Subscriber.objects.exists()
    assert staff_client.post(url, {}).status_code == 302  # at once: the worker imports
    started = time.monotonic()
    assert importing.run_queued_imports() == 1
    import_seconds = time.monotonic() - started
    assert Subscriber.objects.count() == expected["new"]
    assert ConsentEvent.objects.filter(kind="imported").count() == expected["new"]
    # The preview is a web request: inside gunicorn's 30-second timeout with room to spare.
    assert preview_seconds < 15
    with capsys.disabled():
        print(
            f"\n50,000-row import: preview {preview_seconds:.1f} s, import {import_seconds:.1f} s"
        )


def test_dates_are_read_the_uk_way():
    assert importing.parse_consent_date("03/04/2023").month == 4
    assert importing.parse_consent_date("3 April 2023").day == 3
    assert importing.parse_consent_date("2023-04-03T10:00:00Z").hour == 10
    with pytest.raises(ValueError, match="not a date we understand"):
        importing.parse_consent_date("04/31/2023")
