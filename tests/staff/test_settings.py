"""The staff sign-in settings refuse values that make no sense."""

from tests.test_settings import run_manage


def test_an_absolute_timeout_shorter_than_the_idle_one_is_refused():
    result = run_manage(
        "check",
        DJANGO_DEBUG="true",
        ADMIN_SESSION_IDLE_SECONDS="3600",
        ADMIN_SESSION_MAX_SECONDS="600",
    )
    assert result.returncode != 0
    assert "ADMIN_SESSION_MAX_SECONDS must be at least ADMIN_SESSION_IDLE_SECONDS" in result.stderr


def test_a_lockout_limit_of_zero_is_refused():
    result = run_manage("check", DJANGO_DEBUG="true", STAFF_SIGN_IN_FAILURE_LIMIT="0")
    assert result.returncode != 0
    assert "STAFF_SIGN_IN_FAILURE_LIMIT must be at least 1" in result.stderr


def test_an_address_limit_below_the_account_limit_is_refused():
    """It would make the per-account limit meaningless, so it is a mistake to point out."""
    result = run_manage(
        "check",
        DJANGO_DEBUG="true",
        STAFF_SIGN_IN_FAILURE_LIMIT="8",
        STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT="6",
    )
    assert result.returncode != 0
    assert "STAFF_SIGN_IN_ADDRESS_FAILURE_LIMIT must be at least 8" in result.stderr
