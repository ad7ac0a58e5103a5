"""Read a .env file into the environment, for manage.py in a checkout.

The same file `make serve` sources with the shell: KEY=value lines, comments,
optional quotes. Variables already set in the environment always win, so a
server's real configuration is never overridden by a stray file.
"""

import os


def load_env_file(path):
    """Set each KEY=value from ``path`` that is not already in the environment."""
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
