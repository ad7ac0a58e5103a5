"""WSGI entry point, used by gunicorn (see medway_send/gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medway_send.settings")

application = get_wsgi_application()
