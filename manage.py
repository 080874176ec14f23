#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings first: Django would otherwise note the error, run the command without its
        # apps and fail later with an unrelated traceback (AppRegistryNotReady).
        _ = settings.INSTALLED_APPS
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration mistake (see the README's table): say what to fix, without a traceback.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
