"""Personal API tokens: made here, shown to the patient once, stored only as a SHA-256 digest."""

import hashlib
import secrets

from tracker.models import ApiToken, User

TOKEN_PREFIX = "crt_"  # "calf rehab token": makes a leaked token easy to recognise and search for
PREFIX_LENGTH = 12  # ApiToken.prefix: "crt_" and the first 8 random characters
MAX_TOKENS_PER_USER = 10


def digest(secret: str) -> str:
    """The stored form of a token. A token is 256 random bits, so a fast hash is enough (no salt)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the secret; the secret is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest(secret)
    )
    return token, secret


def revoke_all(user: User) -> int:
    """Revoke every token of `user` (after a password reset, or a change if she asks); returns how many."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    return count
