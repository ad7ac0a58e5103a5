"""Read a .env file into the environment, for every way the site starts.

manage.py, the WSGI/ASGI entry points and gunicorn's config all call
``load_env_file()`` before the settings are read. The file holds KEY=value
lines, comments and optional quotes. Variables already set in the environment
always win, so a server's real configuration is never overridden by a stray
file (such as the development .env that `make run` writes).
"""

import os
from pathlib import Path

DEFAULT_ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


def env_file_path():
    """The file to read: ``DJANGO_ENV_FILE`` if set, else ``.env`` in the project folder."""
    return Path(os.environ.get("DJANGO_ENV_FILE") or DEFAULT_ENV_FILE)


def load_env_file(path=None):
    """Set each KEY=value from ``path`` (default: ``env_file_path()``) not already set."""
    path = Path(path) if path is not None else env_file_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.removeprefix("export ").split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key, value)
