"""The one place that reads the environment: where the data lives, which database, the clock."""

from datetime import UTC, tzinfo
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs
from pydantic import AwareDatetime, Field
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
    # The clinic's time zone (IANA name, e.g. Europe/London): "today" is its date, booked times
    # are its wall-clock times. Default: this machine's zone.
    timezone: str | None = None
    # Pins the clock at one instant (ISO 8601 with its offset): for tests and for reproducing what
    # a person saw. Never in service: the date would stand still and sign-ins would never expire.
    fixed_now: AwareDatetime | None = None
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
