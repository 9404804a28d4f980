"""learning models."""
