from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tracker.models import User


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    pass
