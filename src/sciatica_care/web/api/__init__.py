"""JSON routes under /api/v1: bearer tokens, 401s, OpenAPI."""
