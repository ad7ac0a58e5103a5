"""What a person is told when they sign up, versioned so the consent record says which."""

# Change the version whenever the words below or the privacy notice's
# newsletter section change, so each consent record shows what was agreed to.
SIGNUP_WORDING_VERSION = "signup-2026-12-01"
PRIVACY_NOTICE_VERSION = "privacy-2026-12-01"

SIGNUP_WORDING = (
    "We'll email you when there is news about the SEND strategy or the action plan moves on: "
    "about once a month, never more than once a week. Every email has a link to unsubscribe."
)
