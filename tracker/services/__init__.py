"""Writes that touch more than one row, each in one transaction; no form is imported here."""
