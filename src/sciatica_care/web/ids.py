"""The `{name:id}` path convertor: ids that cannot be a record's id never reach a route (404)."""

from starlette.convertors import Convertor, register_url_convertor

from sciatica_care.services.ids import ID_PATTERN


class IdConvertor(Convertor[int]):
    """ASCII digits that fit a 64-bit integer column."""

    regex = ID_PATTERN

    def convert(self, value: str) -> int:
        """The id as an int."""
        return int(value)

    def to_string(self, value: int) -> str:
        """The id in a URL."""
        return str(value)


register_url_convertor("id", IdConvertor())
