"""trainlab: how a neural network learns, from scratch on NumPy."""

__version__ = "0.1.0"
