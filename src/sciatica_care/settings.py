"""The one place that reads the environment: where the data lives, which database, the clock."""

from datetime import UTC, tzinfo
from functools import cache
from ipaddress import ip_network
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs
from pydantic import AwareDatetime, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sciatica_care.clock import Clock


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir("sciatica-care", appauthor=False))


class Settings(BaseSettings):
    """Settings from SCIATICA_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="SCIATICA_", extra="ignore")

    home: Path = Field(default_factory=_default_home)
    database_url: str | None = None
    # Signs the web app's cookies; kept in $SCIATICA_HOME/secret_key when not set.
    secret_key: str | None = None
    # Mark cookies Secure (set it when the app is served over HTTPS).
    secure_cookies: bool = False
    # Answer repeated API reads from memory while the (SQLite) database is unchanged.
    response_cache: bool = True
    # The largest request body any route reads (bytes); larger ones are refused with 413 unread.
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    # The largest history@1 document POST /api/v1/plan takes (bytes).
    max_history_bytes: int = Field(default=5_000_000, ge=1)
    # The response cache's budget (bytes of kept answers, headers included).
    response_cache_bytes: int = Field(default=32_000_000, ge=0)
    # The clinic's time zone (IANA name, e.g. Europe/London): "today" is its date, booked times
    # are its wall-clock times. Default: this machine's zone.
    timezone: str | None = None
    # Pins the clock at one instant (ISO 8601 with its offset): for tests and for reproducing what
    # a person saw. Never in service: the date would stand still and sign-ins would never expire.
    fixed_now: AwareDatetime | None = None
    # The TLS proxies in front of the app (addresses or networks, comma-separated, e.g.
    # "127.0.0.1" or "10.0.0.0/8"): from them alone X-Forwarded-For names the client, so sign-in
    # limits count each person's address, not the proxy's. Default: none, every such header is
    # ignored.
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for item in value.split(","):
            if item.strip():
                try:
                    ip_network(item.strip(), strict=False)
                except ValueError:
                    raise ValueError(
                        f"SCIATICA_TRUSTED_PROXIES: {item.strip()!r} is not an IP address or"
                        " network (e.g. 127.0.0.1, 10.0.0.0/8)"
                    ) from None
        return ",".join(item.strip() for item in value.split(",") if item.strip())

    # How long a SQLite write waits for another writer before the app answers 503 (milliseconds).
    sqlite_busy_ms: int = Field(default=30_000, ge=0)

    # The number a client calls in an emergency, in every emergency action (default: the
    # protocol's, 999). `sciatica plan --input` reads it as --emergency-number or this variable.
    emergency_number: str | None = None

    def zone(self) -> tzinfo:
        """The clinic's time zone."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        local = Clock().now().astimezone().tzinfo
        return local if local is not None else UTC

    def clock(self) -> Clock:
        """The clinic's clock: its dates in the clinic's zone (default: this machine's)."""
        zone = ZoneInfo(self.timezone) if self.timezone else None
        return Clock(zone=zone, fixed=self.fixed_now)

    def database(self) -> str:
        """The database URL: SCIATICA_DATABASE_URL, else SQLite at $SCIATICA_HOME/sciatica.db."""
        return self.database_url or f"sqlite:///{self.home / 'sciatica.db'}"


@cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
