"""British formats with the 24-hour clock the rest of the app writes ("4 Dec 2026, 19:00"):
Django's en_GB writes "7 p.m.", so the admin's lists disagreed with the review page beside them.
Anything not set here comes from Django's en_GB formats."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
