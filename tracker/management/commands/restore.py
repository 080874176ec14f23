"""`manage.py restore PATH`: replace the database's contents with a backup made by `backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from tracker.services.backup import BackupError, read_backup, restore_backup, rows_to_keep


class Command(BaseCommand):
    help = (
        "Load a backup made by `manage.py backup` into a migrated database, in one transaction. "
        "Refuses a database that already holds data unless --force is given (then that data is "
        "replaced). Everybody is logged out."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file (.json or .json.gz).")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data already in the database."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, path: str, force: bool, database: str, **options):
        try:
            document = read_backup(Path(path))
            existing = rows_to_keep(database)
            if existing and not force:
                summary = ", ".join(f"{label}: {count}" for label, count in sorted(existing.items())[:6])
                raise CommandError(
                    f"The database is not empty ({summary}). Nothing was changed. "
                    "Pass --force to replace its data with the backup."
                )
            loaded = restore_backup(document, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {loaded} objects from {path} (backup made {document.get('created_at')})."
            )
        )
