#!/usr/bin/env python3
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    from medway_send.dotenv import load_env_file

    # `make run` writes a development .env (DJANGO_DEBUG=true); the environment wins over it.
    load_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medway_send.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
