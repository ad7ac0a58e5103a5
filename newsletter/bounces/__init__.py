"""Bounces and complaints: reading the bounce mailbox and acting on what it holds.

- ``reports`` reads one message with Python's ``email`` package: a delivery
  status notification (RFC 3464, multipart/report with message/delivery-status)
  or a feedback-loop complaint (RFC 5965 ARF, message/feedback-report).
- ``handling`` acts on it: a hard bounce suppresses the address, soft bounces
  suppress after BOUNCE_SOFT_LIMIT in a row, a complaint unsubscribes the
  person from everything.
- ``mailbox`` is the worker job that reads the mailbox over IMAP and makes
  sure each message is acted on once, even if the job is killed half-way.
"""
