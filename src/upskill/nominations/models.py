"""nominations models."""
