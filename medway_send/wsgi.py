"""WSGI entry point, used by gunicorn (see medway_send/gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

from medway_send.dotenv import load_env_file

# A .env file fills gaps only: the process's real environment always wins.
load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medway_send.settings")

application = get_wsgi_application()
