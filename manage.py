#!/usr/bin/env python
import os
import sys


def main() -> None:
    # Production unless told otherwise: a command run on a server without the variable must not
    # fall back to the demo's settings (DEBUG on, a public secret key, the sandbox gateway).
    # `make run`, `make test` and the demo name their own settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
