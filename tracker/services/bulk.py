"""Inserting thousands of rows at once, for the CSV import.

Django's bulk_create converts every field of every row for the database on its own (for a
10,000-row import with its audit history, most of the time went there). Here each distinct value
is converted once, by the field itself (`get_db_prep_save`), and the rows are sent with one
`executemany` per table: the same values reach the database, several times faster.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Field, Model


class ValueCache:
    """field.get_db_prep_save(value) once per field and distinct value."""

    def __init__(self):
        self.converted: dict[tuple, object] = {}

    def __call__(self, field: Field, value):
        if value is None:
            return None
        key = (field.attname, type(value), value)  # equal values give the same database value
        try:
            return self.converted[key]
        except KeyError:
            prepared = self.converted[key] = field.get_db_prep_save(value, connection)
            return prepared


def insert_rows(model: type[Model], fields: Sequence[Field], rows: Iterable[Sequence]) -> None:
    """INSERT each row (the values of `fields`, in order) into the model's table, in one executemany."""
    quote = connection.ops.quote_name
    convert = ValueCache()
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    prepared = [
        tuple(convert(field, value) for field, value in zip(fields, row, strict=True)) for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
