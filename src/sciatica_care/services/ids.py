"""Record ids as people type them: plain ASCII digits that fit a 64-bit integer column."""

MAX_ID = 2**63 - 1
ID_PATTERN = "[0-9]{1,18}"


def parse_id(text: str | None) -> int | None:
    """The id `text` names, or None for anything else ("²", "-1", "", 10**30...)."""
    if text is None:
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return int(text)
