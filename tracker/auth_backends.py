"""The login backend: Django's ModelBackend, reading the user's patient profile with the user.

Every request of a logged-in user loads the user; patient pages then ask for her profile
(`views.common.patient_required`, the dashboard, the charts). One join here saves that second query
on every request; a physio's missing profile comes back as "none", so asking costs no query either.
"""

from django.contrib.auth.backends import ModelBackend

from tracker.models import User


class ModelBackendWithProfile(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User.objects.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
