"""Two-factor sign-in: setting up an authenticator app, checking codes, backup codes.

Plain functions over django-otp's devices, so the views stay thin and the rules
can be tested on their own. Each staff member has at most one confirmed
authenticator app (a TOTP device) and one set of backup codes (a static device).

An app being set up belongs to one session: its key is made for that session
and shown only there. A password alone opens a set-up session, so without this
anyone who knew the password could read the key the real person is about to
scan, and sign in with codes from it afterwards.
"""

import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# The id of the app this session is setting up; no other session can see or confirm it.
PENDING_DEVICE_SESSION_KEY = "staff_pending_authenticator"


def two_factor_required():
    """Whether a password alone is not enough to use the admin: always, unless DEBUG is on.

    Read from DEBUG itself, not a setting of its own, so production cannot be
    configured to skip the second step by mistake.
    """
    return not settings.DEBUG


def has_authenticator(user):
    """Whether ``user`` has finished setting up an authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def authenticator_added_on(user):
    """When ``user``'s authenticator app was added (None if unknown or there is none)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    return device.created_at if device else None


def pending_authenticator(request):
    """The app this session is setting up for its user, with a new key on first use.

    Reloading the page keeps the same key, so a code from an app that already
    scanned it still works. Another session, even of the same person, gets a
    key of its own and never sees this one.
    """
    user, session = request.user, request.session
    device = TOTPDevice.objects.filter(
        pk=session.get(PENDING_DEVICE_SESSION_KEY), user=user, confirmed=False
    ).first()
    if device is None:
        _forget_abandoned_set_ups(user)
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
        session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def _forget_abandoned_set_ups(user):
    # Sessions end after ADMIN_SESSION_MAX_SECONDS, so an older unconfirmed app has
    # nobody left to finish it; without this, every sign-in would leave a row behind.
    too_old = timezone.now() - timedelta(seconds=settings.ADMIN_SESSION_MAX_SECONDS)
    TOTPDevice.objects.filter(user=user, confirmed=False, created_at__lt=too_old).delete()


def qr_code_data_uri(device):
    """The device's set-up link as a QR code, an SVG ``data:`` URI for an ``<img>``."""
    qr = segno.make(device.config_url, error="m")
    # A white background keeps the code scannable in the admin's dark theme.
    return qr.svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff")


def secret_in_groups(device):
    """The device's secret as people type it into an app by hand: ``ABCD EFGH …``."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code):
    """Drop the spaces and dashes people type or paste; backup codes are lower case."""
    return re.sub(r"[\s-]", "", code or "").lower()


@dataclass
class CodeCheck:
    """The outcome of checking a code: the device that accepted it, or why not."""

    device: object = None
    wait_seconds: int = 0
    # Set-up only: another session confirmed an app first, so this one is gone.
    superseded: bool = False

    @property
    def accepted(self):
        return self.device is not None

    @property
    def throttled(self):
        return self.wait_seconds > 0


def _check_device(device, code):
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        return CodeCheck(wait_seconds=max(1, round(wait)))
    # verify_token counts a wrong code against the device, doubling the wait each time.
    return CodeCheck(device=device if device.verify_token(code) else None)


def confirm_authenticator(device, code):
    """Check the first code from a newly set-up app; on success it is the person's only app.

    Every other app they were part-way through setting up, in any session, is
    deleted, so a key someone else was shown can never be confirmed afterwards.
    """
    with transaction.atomic():
        # One confirmation at a time per person, so two sessions cannot both win.
        get_user_model().objects.select_for_update().get(pk=device.user_id)
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
        if device is None or has_authenticator(device.user):
            return CodeCheck(superseded=True)
        result = _check_device(device, normalise_code(code))
        if result.accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return result


def check_code(user, code):
    """Check a sign-in code: six digits go to the app, anything else to the backup codes.

    Sending each code only where it could match means a backup code never counts
    as a wrong guess against the app, or the other way round.
    """
    code = normalise_code(code)
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():
        devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
        result = CodeCheck()
        for device in devices:
            result = _check_device(device, code)
            if result.accepted:
                break
    return result


def make_backup_codes(user):
    """Replace ``user``'s backup codes with ten new ones and return them (shown once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user):
    """How many unused backup codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mark_verified(request, device):
    """Count this session as two-factor verified by ``device``, under a new session key.

    The key changes because the session just gained power: a key anyone saw
    before this moment (say, over someone's shoulder) must not inherit it.
    """
    request.session.cycle_key()
    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    django_otp.login(request, device)
