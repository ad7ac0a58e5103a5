"""gunicorn settings for `make serve`; every value can be overridden from the environment."""

import multiprocessing
import os

from medway_send.dotenv import load_env_file
from medway_send.env import env_bool

# The same .env rules as manage.py: the file only fills gaps in the real environment.
load_env_file()
if env_bool("DJANGO_DEBUG", False):
    # Debug pages show settings and code to anyone, and staff two-step sign-in
    # becomes optional: never serve the public like that.
    raise SystemExit(
        "Refusing to start gunicorn: DJANGO_DEBUG is on. It is for development only "
        "(`make run`). Set DJANGO_DEBUG=false in the environment (or remove it from "
        f"{os.environ.get('DJANGO_ENV_FILE') or '.env'})."
    )

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
# Two workers per core plus one is gunicorn's own rule of thumb for sync workers.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# Newsletter links carry tokens in their paths: keep them out of the logs.
logger_class = "medway_send.gunicorn_logging.RedactingLogger"
errorlog = "-"
# Forwarded headers are trusted only from this address list (the proxy in front).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "medway_send.wsgi:application"
