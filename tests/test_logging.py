"""Secrets in newsletter links never reach the server's access log."""

from medway_send.gunicorn_logging import redact


def test_tokens_are_removed_from_logged_paths_and_referrers():
    line = (
        'GET /newsletter/confirm/WzEyMywgNDU2XQ:1abc:def/ HTTP/1.1" 200 '
        '"https://site/newsletter/unsubscribe/ImFiYyI:1x:y/one-click/"'
    )
    cleaned = redact(line)
    assert "WzEyMywgNDU2XQ" not in cleaned and "ImFiYyI" not in cleaned
    assert "/newsletter/confirm/[token]/" in cleaned
    assert "/newsletter/unsubscribe/[token]/one-click/" in cleaned
    assert redact("GET /action-plan/ HTTP/1.1") == "GET /action-plan/ HTTP/1.1"


def test_gunicorn_uses_the_redacting_logger():
    import runpy
    from pathlib import Path

    config = runpy.run_path(str(Path(__file__).parent.parent / "medway_send" / "gunicorn.conf.py"))
    assert config["logger_class"] == "medway_send.gunicorn_logging.RedactingLogger"
