"""The clinic admin: the physiotherapist's caseload, the patient review and the records behind them.

One module per kind of admin code: `mixins` (the caseload rule, 404s, history scoping), `patients`
(the caseload and adding a patient), `review` (the review page), `deleted` (restoring deleted
records), `records` (each record type), `library` (exercises, photos and videos), `inlines`,
`filters`, `forms`, `closed`, `users`, `alerts` (her e-mail settings and the log of e-mails sent).
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.admin import (  # noqa: F401  (each registers its admins)
    alerts,
    closed,
    library,
    patients,
    records,
    users,
)

# Authenticator devices are managed on each user's own two-factor page, and reset by superusers with
# the user admin's action: their secrets are never listed here (django-otp registered them first).
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)

admin.site.site_header = "Calf Rehab Tracker · clinic"
admin.site.site_title = "Calf Rehab Tracker clinic"
admin.site.index_title = "Your patients and their programmes"
