"""Errors that speak to the user.

Every error trainlab raises on bad input is a ``ValueError`` (or an ``OSError``
for files), with a one-line message that names the thing at fault and the fix.
The command line prints that line and exits with status 2.
"""


class TrainlabError(Exception):
    """Base class for trainlab's own errors."""


class ConfigError(TrainlabError, ValueError):
    """A bad argument, option or configuration value."""


class DataError(TrainlabError, ValueError):
    """A data set that is missing, corrupt or inconsistent."""


class DivergenceError(TrainlabError, FloatingPointError):
    """Training produced a NaN or inf loss, or an exploding gradient."""
