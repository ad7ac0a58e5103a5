"""gunicorn recycles workers rarely enough not to churn under load, and says so if misconfigured."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

CONF = Path(__file__).resolve().parent.parent / "medway_send" / "gunicorn.conf.py"


def load_config(monkeypatch, **env):
    for name in ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_a_busy_worker_is_recycled_minutes_apart_not_seconds(monkeypatch):
    config = load_config(monkeypatch)
    # At 300 requests a second, the least a worker can serve before it restarts.
    seconds_between_restarts = (config["max_requests"] - config["max_requests_jitter"]) / 300
    assert seconds_between_restarts >= 10 * 60
    assert config["max_requests_jitter"] > 0, "workers must not all restart together"


def test_recycling_can_be_set_from_the_environment(monkeypatch):
    config = load_config(monkeypatch, GUNICORN_MAX_REQUESTS="5000")
    assert (config["max_requests"], config["max_requests_jitter"]) == (5000, 500)
    config = load_config(monkeypatch, GUNICORN_MAX_REQUESTS="0", GUNICORN_MAX_REQUESTS_JITTER="0")
    assert (config["max_requests"], config["max_requests_jitter"]) == (0, 0)


@pytest.mark.parametrize("value", ["lots", "-1"])
def test_a_bad_value_stops_the_server_with_a_clear_message(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="GUNICORN_MAX_REQUESTS"):
        load_config(monkeypatch, GUNICORN_MAX_REQUESTS=value)
