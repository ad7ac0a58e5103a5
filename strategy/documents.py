"""Which files may be published as strategy documents, judged by their content.

A council publishes its documents as PDF, Word, OpenDocument or plain text.
A file is accepted only when its name ends in one of those types *and* its
first bytes are what that type's files start with, so an HTML page or an SVG
image renamed "strategy.pdf" is refused with a plain message. The checks read
a few kilobytes, never the whole file.
"""

import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class DocumentType:
    """One kind of document we publish."""

    extension: str
    name: str  # shown beside the link: "(PDF, 2 MB)"
    described: str  # in errors: "it is not a PDF"
    content_type: str


DOCUMENT_TYPES = {
    t.extension: t
    for t in [
        DocumentType("pdf", "PDF", "a PDF", "application/pdf"),
        DocumentType(
            "docx",
            "Word",
            "a Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        DocumentType("doc", "Word", "a Word document", "application/msword"),
        DocumentType(
            "odt",
            "OpenDocument",
            "an OpenDocument text file",
            "application/vnd.oasis.opendocument.text",
        ),
        DocumentType("txt", "plain text", "a plain text file", "text/plain; charset=utf-8"),
    ]
}
ACCEPTED = ", ".join(f".{ext}" for ext in DOCUMENT_TYPES)
WRONG_TYPE = (
    "The document must be a PDF, Word (.docx or .doc), OpenDocument text (.odt) "
    "or plain text (.txt) file"
)
# Microsoft's Compound File Binary format, which old .doc files use.
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


def document_type(name):
    """The DocumentType a file name's extension says, or None."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return DOCUMENT_TYPES.get(extension)


def _content_matches(kind, file):
    """Whether the file's content is really of ``kind``."""
    file.seek(0)
    head = file.read(8192)
    if kind.extension == "pdf":
        return head.startswith(b"%PDF-")
    if kind.extension == "doc":
        return head.startswith(_OLE_SIGNATURE)
    if kind.extension in {"docx", "odt"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if kind.extension == "docx":
                    return {"[Content_Types].xml", "word/document.xml"} <= names
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
                return mimetype.strip() == kind.content_type.encode()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    # Plain text: readable UTF-8, no control bytes, and not markup in disguise.
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The 8 KB cut may split a character: only a complete decode error counts.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return False
    return bool(text.strip()) and not text.lstrip("\ufeff \t\r\n").startswith("<")


def validate_document(value):
    """Refuse a newly uploaded file that is not a document type we publish."""
    if isinstance(value, FieldFile) and value._committed:
        return  # a file already stored was checked when it was uploaded
    kind = document_type(value.name or "")
    if kind is None:
        raise ValidationError(WRONG_TYPE, code="document_type")
    if value.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"The document must be smaller than {filesizeformat(MAX_DOCUMENT_BYTES)}",
            code="document_size",
        )
    file = value.file
    position = file.tell()
    try:
        matches = _content_matches(kind, file)
    finally:
        file.seek(position)
    if not matches:
        raise ValidationError(
            f"This file's name ends in .{kind.extension}, but it is not {kind.described}. "
            f"Save it as {kind.described} and upload it again",
            code="document_content",
        )
