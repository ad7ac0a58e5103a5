"""Helpers for the staff sign-in tests: accounts, real TOTP codes, the two sign-in steps."""

import time

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple for medway"


def code_for(device, *, steps_ahead=0):
    """The 6-digit code an authenticator app would show for ``device`` now (or a step later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def staff_user(django_user_model):
    """A superuser who has not set up two-step sign-in yet."""
    return django_user_model.objects.create_superuser("it-admin", "it@example.com", PASSWORD)


@pytest.fixture
def enrolled_user(staff_user):
    """A superuser with a confirmed authenticator app (``.device``)."""
    staff_user.device = TOTPDevice.objects.create(
        user=staff_user, name="Authenticator app", confirmed=True
    )
    return staff_user


@pytest.fixture
def sign_in_password(client):
    """Post the admin login form (the password step); return the response."""

    def post(username, password=PASSWORD, *, next_url="/admin/", **extra):
        return client.post(
            f"/admin/login/?next={next_url}",
            {"username": username, "password": password, "next": next_url},
            **extra,
        )

    return post


def sign_in_fully(client, user):
    """Sign ``client`` in as ``user`` with both steps done, as staff_client does."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
