"""Passwords: at least 12 characters, common ones refused, long passphrases welcome."""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def problems(password, user=None):
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return error.messages
    return []


def test_eleven_characters_is_too_short():
    assert any("at least 12 characters" in p for p in problems("tulip-garden"[:11]))


def test_common_passwords_are_refused_even_when_long_enough():
    assert any("too common" in p for p in problems("password1234"))


def test_all_numbers_are_refused():
    assert any("entirely numeric" in p for p in problems("839201746352"))


def test_a_password_like_the_username_is_refused(django_user_model):
    user = django_user_model(username="jo.bloggs", email="jo.bloggs@medway.gov.uk")
    assert any("too similar" in p for p in problems("jo.bloggs.medway", user))


@pytest.mark.parametrize(
    "password",
    [
        "purple tortoise reads maps",  # lower case words, no digits or symbols: fine
        "when the tide goes out at Rochester the mudflats shine like old silver!!"[:70],
        "x7" * 100,  # no maximum length
    ],
)
def test_long_passphrases_are_accepted_without_composition_rules(password):
    assert problems(password) == []


def test_seventy_character_passphrase_can_be_set_through_the_admin_form(django_user_model):
    user = django_user_model.objects.create_user("jo", "jo@example.com", "old enough password")
    passphrase = "a walk along the river medway on a bright and breezy autumn morning ok"
    assert len(passphrase) == 70
    form = SetPasswordForm(user, {"new_password1": passphrase, "new_password2": passphrase})
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.check_password(passphrase)
