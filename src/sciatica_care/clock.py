"""The clinic's clock: the one reader of the time.

Its moment is an aware UTC instant; its date is the clinic's, counted in the clinic's zone. Shells
read it once per request or command and pass `now` and `today` down; nothing below them reads it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo


@dataclass(frozen=True, slots=True)
class Clock:
    """The moment in UTC and the date in the clinic's zone (None: this machine's zone)."""

    zone: tzinfo | None = None
    # A pinned instant, for tests and for reproducing what a person saw; None reads the time.
    fixed: datetime | None = None

    def __post_init__(self) -> None:
        if self.fixed is not None and self.fixed.utcoffset() is None:
            raise ValueError("a fixed clock needs an aware instant (with a UTC offset)")

    def now(self) -> datetime:
        """This moment, in UTC."""
        if self.fixed is not None:
            return self.fixed.astimezone(UTC)
        return datetime.now(UTC)

    def date_of(self, moment: datetime) -> date:
        """The clinic's date at `moment`."""
        # astimezone(None) follows this machine's zone rules at that very moment (DST included).
        return moment.astimezone(self.zone).date()

    def today(self) -> date:
        """The clinic's date now."""
        return self.date_of(self.now())
