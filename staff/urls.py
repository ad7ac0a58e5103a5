"""The second sign-in step, under /admin/two-factor/."""

from django.contrib import admin
from django.urls import path

from staff import lockout, views

app_name = "staff"

urlpatterns = [
    path("code/", views.verify, name="verify"),
    path("set-up/", views.set_up, name="set_up"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    # A normal admin page (signed in, code entered), for superusers only.
    path("locks/", admin.site.admin_view(lockout.sign_in_locks), name="sign_in_locks"),
]
