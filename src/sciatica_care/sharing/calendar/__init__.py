"""Calendar feeds (ICS) and their secret links."""
