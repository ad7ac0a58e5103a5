"""Secure staff sign-in: two-factor codes, lockout after failed attempts, session timeouts."""
