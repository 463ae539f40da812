"""Signed links in newsletter emails: confirm (expiring), unsubscribe and preferences (lasting)."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

SALTS = {
    "confirm": "newsletter.confirm",
    "unsubscribe": "newsletter.unsubscribe",
    "preferences": "newsletter.preferences",
}


class TokenExpired(Exception):
    """The signature is genuine but older than allowed; carries the subscriber id."""

    def __init__(self, subscriber_id):
        super().__init__("expired")
        self.subscriber_id = subscriber_id


class TokenInvalid(Exception):
    pass


def make_token(subscriber, *, purpose: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.email_digest], salt=SALTS[purpose])


def confirm_max_age() -> timedelta:
    return timedelta(days=settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS)


def read_token(token: str, *, purpose: str, ignore_expiry: bool = False):
    """Return the Subscriber a token names, or None if it was erased since.

    Raises TokenExpired for a genuine but stale confirmation link, TokenInvalid otherwise.
    """
    from newsletter.models import Subscriber

    salt = SALTS[purpose]
    max_age = confirm_max_age() if purpose == "confirm" and not ignore_expiry else None
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        # Expired is a subclass of BadSignature: check it first. The signature itself
        # is still genuine, so reading it without a max age is safe.
        payload = signing.loads(token, salt=salt)
        raise TokenExpired(_payload_id(payload)) from None
    except signing.BadSignature:
        raise TokenInvalid from None
    subscriber_id = _payload_id(payload)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.email_digest != payload[1]:
        return None
    return subscriber


def _payload_id(payload) -> int:
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        raise TokenInvalid
    return payload[0]
