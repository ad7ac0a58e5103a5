"""ASGI entry point, for servers that prefer it; the site itself is synchronous."""

import os

from django.core.asgi import get_asgi_application

from medway_send.dotenv import load_env_file

# A .env file fills gaps only: the process's real environment always wins.
load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medway_send.settings")

application = get_asgi_application()
