"""The web app and JSON API: thin shells over the services."""

# Registers the `{name:id}` path convertor before any route module compiles its paths.
from sciatica_care.web import ids as ids
