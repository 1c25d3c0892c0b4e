"""Secrets of the web app: the signing key, signed cookies and CSRF token comparison.

The cookie carries a random token signed with the app's key; the sign-in session it names is
kept by `services.sign_in`.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from sciatica_care.db.files import private_folder

SESSION_COOKIE = "sciatica_session"
FORM_COOKIE = "sciatica_form"  # CSRF token of forms shown before signing in


def secret_key(configured: str | None, home: Path) -> str:
    """The configured key, else the one kept in `home` (made once, readable by its owner only)."""
    if configured:
        return configured
    path = home / "secret_key"
    private_folder(home)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(key)
    return key


@dataclass(frozen=True, slots=True)
class Signer:
    """Signs and checks cookie values with the app's key."""

    serializer: URLSafeTimedSerializer

    @classmethod
    def from_key(cls, key: str) -> "Signer":
        """A signer for one key."""
        return cls(URLSafeTimedSerializer(key, salt="sciatica-care/cookie"))

    def sign(self, value: str) -> str:
        """The value with its signature."""
        return self.serializer.dumps(value)

    def unsign(self, signed: str | None, max_age: timedelta) -> str | None:
        """The value if the signature is good and young enough, else None."""
        if not signed:
            return None
        try:
            value = self.serializer.loads(signed, max_age=int(max_age.total_seconds()))
        except BadSignature:
            return None
        return value if isinstance(value, str) else None


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two CSRF tokens; a missing one never matches."""
    return bool(given and expected) and secrets.compare_digest(str(given), str(expected))
