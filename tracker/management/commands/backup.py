"""`manage.py backup PATH`: the whole database as one JSON file (gzip'd if PATH ends in .gz)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError

from tracker.services.backup import make_backup


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the whole database to PATH (JSON; gzip-compressed when PATH "
        "ends in .gz). Restore it with `manage.py restore PATH`. Sessions and login-attempt records "
        "are not included."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, e.g. backups/rehab-2025-06-01.json.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, path: str, database: str, **options):
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        try:
            counts = make_backup(target, alias=database)
        except DatabaseError as error:
            raise CommandError(f"Could not read the database: {error}") from error
        except OSError as error:
            raise CommandError(f"Could not write {target}: {error.strerror or error}") from error
        size_kb = target.stat().st_size / 1024
        rows, models = sum(counts.values()), len(counts)
        message = f"Backed up {rows} rows of {models} models to {target} ({size_kb:,.0f} kB)."
        self.stdout.write(self.style.SUCCESS(message))
