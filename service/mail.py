"""Send email over SMTP (smtplib). Without a server, dev mode logs the message instead."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from .errors import BadGateway

log = logging.getLogger("rolegate.mail")


def send(to: str, subject: str, body: str) -> None:
    """Send or raise BadGateway; the caller rolls back what it staged."""
    config = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_DEFAULT_SENDER"], to, subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        if not config["DEV_MODE"]:
            raise BadGateway("Email is not configured (FLASK_MAIL_SERVER); nothing was sent.")
        # Dev only: the message carries a secret link, so it is never logged outside dev mode.
        log.warning("no mail server; dev outbox:\nTo: %s\nSubject: %s\n\n%s", to, subject, body)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.error("sending mail failed: %s", type(error).__name__)
        raise BadGateway("The invitation email could not be sent; nothing was saved.") from None
