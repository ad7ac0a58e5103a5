"""What a person is told when they sign up, versioned so the consent record says which."""

# Change the version whenever the words below change, so each consent record
# shows what was agreed to. The privacy notice is edited in the admin; its
# version comes from strategy.public.privacy_notice_version() at sign-up time.
SIGNUP_WORDING_VERSION = "signup-2026-12-01"

SIGNUP_WORDING = (
    "We'll email you when there is news about the SEND strategy or the action plan moves on: "
    "about once a month, never more than once a week. Every email has a link to unsubscribe."
)
