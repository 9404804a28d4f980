"""upskill: government-subsidised vocational skills training, end to end."""

__version__ = "0.1.0"
