"""calmcrown: head, scalp, neck and foot massage for headaches and stress, done safely."""

__version__ = "0.1.0"
