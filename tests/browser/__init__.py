"""Chromium tests against a production-like gunicorn server (pytest -m browser)."""
