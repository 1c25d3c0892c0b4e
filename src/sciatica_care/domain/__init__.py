"""The pure care engine: standard library and msgspec record types only."""
