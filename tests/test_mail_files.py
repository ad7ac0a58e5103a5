"""Development email: each message is an .eml file that a mail program can open."""

import email

from django.core.mail import EmailMultiAlternatives

from medway_send.mail_files import EmlFileBackend


def test_each_message_is_its_own_eml_file(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path)
    messages = []
    for n in (1, 2):
        message = EmailMultiAlternatives(
            subject=f"Confirm {n}", body=f"Plain {n}", to=[f"person{n}@example.com"]
        )
        message.attach_alternative(f"<p>HTML {n}</p>", "text/html")
        messages.append(message)

    assert backend.send_messages(messages) == 2

    written = sorted(tmp_path.glob("*.eml"))
    assert len(written) == 2
    parsed = {m["To"]: m for m in (email.message_from_bytes(p.read_bytes()) for p in written)}
    assert parsed["person2@example.com"]["Subject"] == "Confirm 2"
    html = parsed["person1@example.com"].get_payload()[1]
    assert html.get_content_type() == "text/html"
    assert html.get_payload(decode=True).decode() == "<p>HTML 1</p>"


def test_a_message_without_recipients_is_not_written(tmp_path):
    backend = EmlFileBackend(file_path=tmp_path)
    assert backend.send_messages([EmailMultiAlternatives(subject="x", body="y")]) == 0
    assert list(tmp_path.iterdir()) == []
