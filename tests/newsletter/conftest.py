"""Helpers for the newsletter tests."""

import time

import pytest

from newsletter.forms import make_form_token
from tests.newsletter.bounce_mail import bounce_mailbox_fixture, imap_account  # noqa: F401


@pytest.fixture
def signup_data():
    """A sign-up POST as a person's browser sends it: the form was shown 10 seconds ago."""

    def build(email, **extra):
        return {
            "email": email,
            "website": "",
            "form_token": make_form_token(now=time.time() - 10),
            "source": "/rights/",
            **extra,
        }

    return build


@pytest.fixture
def sign_up(client, signup_data):
    """Submit the sign-up form and return the response."""

    def post(email, **extra):
        return client.post("/newsletter/", signup_data(email, **extra), **extra.pop("headers", {}))

    return post
