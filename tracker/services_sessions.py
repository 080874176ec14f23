"""Saving an exercise session with its entries: all of it or nothing."""

from django.db import transaction

from tracker.forms.sessions import BaseEntryFormSet, SessionForm
from tracker.models import ExerciseSession, User


@transaction.atomic
def save_session(*, patient: User, form: SessionForm, formset: BaseEntryFormSet) -> ExerciseSession:
    """Save a validated session form and entry formset in one transaction.

    If any entry fails to save, the session (and every entry before it) is rolled back too.
    """
    session = form.save(commit=False)
    session.patient = patient
    session.save()
    formset.instance = session
    formset.save()
    return session
