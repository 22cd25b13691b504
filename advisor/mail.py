"""Mail backends: SMTP that reports a failure to send as one log line, and the backend of a
production server whose EMAIL_URL is not set.

Only password-reset mail is sent. Django's reset form already tells the learner "if an
account exists we sent a mail" whatever happens (no account enumeration); these backends make
sure that what happened is in the log as one clear line, not a traceback.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger("advisor.mail")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend; a mail server that cannot be reached, refuses the login or the
    message is logged as one line and counts as nothing sent (0), instead of raising."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        try:
            return super().send_messages(email_messages)
        except (smtplib.SMTPException, OSError) as error:
            logger.error(
                "Mail not sent: %d message(s) through %s:%s failed (%s)",
                len(email_messages),
                self.host,
                self.port,
                _one_line(error),
            )
            return 0


class UnconfiguredBackend(BaseEmailBackend):
    """Production without EMAIL_URL: send nothing and say so. Not the console: a reset mail
    holds a link that sets the password, which must not end up in a log."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        logger.warning(
            "Mail not sent: EMAIL_URL is not set (%d message(s), subject %r)",
            len(email_messages),
            email_messages[0].subject if email_messages else "",
        )
        return 0
