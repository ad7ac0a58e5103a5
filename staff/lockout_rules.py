"""What counts towards a sign-in lockout, and when it locks (STAFF_LOCKOUT_RULES).

Each rule counts recent failures by some request fields (django-axes' lockout
parameters) and has a limit of its own: a few for one account from one address,
more for one address over all accounts (a shared office address sees everyone's
typing mistakes). Nothing counts failures by account alone, so nobody can lock a
person out by typing wrong passwords for their name from somewhere else.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

FIELD_NAMES = {"username": "account", "ip_address": "address"}


@dataclass(frozen=True)
class LockoutRule:
    """Failures counted together by ``fields``; ``limit`` of them pause sign-in there."""

    fields: tuple
    limit: int

    def describe(self, values):
        """Such as "account jo from address 192.0.2.1", or "address 192.0.2.1"."""
        return " from ".join(f"{FIELD_NAMES[field]} {values[field]}" for field in self.fields)


def lockout_rules():
    """The rules from settings, in AXES_LOCKOUT_PARAMETERS order."""
    return [LockoutRule(tuple(fields), limit) for fields, limit in settings.STAFF_LOCKOUT_RULES]


class LockoutRulesHandler(AxesDatabaseHandler):
    """django-axes' database handler, with a failure limit for each lockout parameter.

    axes compares one number with AXES_FAILURE_LIMIT. This reports each rule's
    count on that scale (``count * AXES_FAILURE_LIMIT // rule limit`` reaches
    AXES_FAILURE_LIMIT exactly when the count reaches the rule's limit), and the
    highest of them, so every check axes makes (the password step, the code
    step, the lockout signal) applies each rule's own limit.
    """

    def get_failures(self, request, credentials=None):
        scale = settings.AXES_FAILURE_LIMIT
        counted = zip(self.get_user_attempts(request, credentials), lockout_rules(), strict=True)
        return max(
            (attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            * scale
            // rule.limit
            for attempts, rule in counted
        )


@dataclass
class SignInLock:
    """Recent failed sign-ins counted under one rule, for one account and/or address."""

    rule: LockoutRule
    values: dict
    failures: int
    last_failure: datetime

    @property
    def label(self):
        """Such as "Account jo from address 192.0.2.1", or "Address 192.0.2.1"."""
        text = self.rule.describe(self.values)
        return text[0].upper() + text[1:]

    @property
    def locked(self):
        return self.failures >= self.rule.limit

    @property
    def unlocks_at(self):
        return self.last_failure + settings.AXES_COOLOFF_TIME


def recent_failures():
    """Every account and address with failures still counted, under each rule; locked first."""
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    found = []
    for rule in lockout_rules():
        rows = (
            recent.filter(**{f"{field}__isnull": False for field in rule.fields})
            .values(*rule.fields)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        )
        found += [
            SignInLock(rule, {f: row[f] for f in rule.fields}, row["failures"], row["last"])
            for row in rows
        ]
    return sorted(found, key=lambda lock: (not lock.locked, lock.label))


def rule_for_fields(fields):
    """The rule counting failures by exactly ``fields``, or None."""
    return next((rule for rule in lockout_rules() if set(rule.fields) == set(fields)), None)
