from django.apps import AppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff sign-in"


# django-otp's apps, under names a superuser resetting someone's phone will recognise
# on the admin home page (instead of "Otp_Totp" and "Otp_Static").
class AuthenticatorAppsConfig(TOTPDefaultConfig):
    verbose_name = "Two-step sign-in: authenticator apps"


class BackupCodesConfig(StaticDefaultConfig):
    verbose_name = "Two-step sign-in: backup codes"
