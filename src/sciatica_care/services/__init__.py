"""Use cases: load, call the domain, save. They never commit: the caller's one transaction does."""
