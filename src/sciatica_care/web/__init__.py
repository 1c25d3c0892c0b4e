"""The web app and JSON API: thin shells over the services."""
