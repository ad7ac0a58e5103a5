"""Strategy documents: only the types a council publishes, by content; never served stale."""

import io
import zipfile

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from strategy.models import Strategy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
OLE_DOC = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
XLSX_AS_DOCX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


class DocumentForm(forms.ModelForm):
    """The document field as the admin's change form validates it (the model's validators)."""

    class Meta:
        model = Strategy
        fields = ["document"]


def upload(name, content):
    strategy = Strategy.objects.current()
    form = DocumentForm(
        data={}, files={"document": SimpleUploadedFile(name, content)}, instance=strategy
    )
    return form


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("strategy.pdf", PDF),
        ("Strategy.PDF", PDF),
        ("strategy.docx", DOCX),
        ("strategy.doc", OLE_DOC),
        ("strategy.odt", ODT),
        ("strategy.txt", "The strategy, in plain words. Café.\n".encode()),
    ],
)
def test_document_types_a_council_publishes_are_accepted(name, content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = upload(name, content)
    assert form.is_valid(), form.errors
    form.save()
    assert Strategy.objects.current().document.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<!doctype html><p>Hi</p>", "must be a PDF, Word"),
        ("picture.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "must be a PDF, Word"),
        ("program.exe", b"MZ\x90\x00", "must be a PDF, Word"),
        ("no-extension", PDF, "must be a PDF, Word"),
        ("strategy.pdf", b"<!doctype html><script>alert(1)</script>", "it is not a PDF."),
        ("strategy.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "it is not a PDF."),
        ("strategy.docx", XLSX_AS_DOCX, "it is not a Word document."),
        ("strategy.docx", PDF, "it is not a Word document."),
        ("strategy.odt", DOCX, "it is not an OpenDocument text file."),
        ("strategy.doc", DOCX, "it is not a Word document."),
        ("strategy.txt", b"<svg onload=alert(1)>", "it is not a plain text file."),
        ("strategy.txt", b"binary\x00\x01\x02", "it is not a plain text file."),
        ("strategy.txt", b"\xff\xfe\x00n\x00o", "it is not a plain text file."),
    ],
)
def test_other_files_are_refused_with_a_clear_error(name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = upload(name, content)
    assert not form.is_valid()
    assert message in form.errors["document"][0]
    assert not Strategy.objects.current().document


def test_an_empty_file_is_refused():
    form = upload("strategy.pdf", b"")
    assert not form.is_valid()


def _serve(client, **headers):
    return client.get("/editions/2022-to-2025/document/", headers=headers)


def test_the_document_is_revalidated_every_time_and_never_served_stale(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    strategy = Strategy.objects.current()
    strategy.document.save("strategy.pdf", ContentFile(PDF))

    first = _serve(client)
    assert first.status_code == 200
    assert b"".join(first.streaming_content) == PDF
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert "no-cache" in cache_control
    assert not any(part.startswith("max-age") and part != "max-age=0" for part in cache_control)
    etag = first["ETag"]

    # Unchanged: a cheap "not modified".
    assert _serve(client, if_none_match=etag).status_code == 304

    # Replaced: the same question gets the new file.
    replacement = PDF.replace(b"Catalog", b"Catalog /Lang (en-GB)")
    strategy.document.save("strategy.pdf", ContentFile(replacement))
    fresh = _serve(client, if_none_match=etag)
    assert fresh.status_code == 200
    assert b"".join(fresh.streaming_content) == replacement

    # Withdrawn: gone at once.
    strategy.document = ""
    strategy.save()
    assert _serve(client, if_none_match=fresh["ETag"]).status_code == 404


def test_word_documents_download_with_their_own_type(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Strategy.objects.current().document.save("strategy.docx", ContentFile(DOCX))
    response = _serve(client)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment")
