"""What ``--storage`` names: a journal file path or a PostgreSQL URL.

Checked before anything is written (:func:`check_spec`) and shown without its
password (:func:`redacted`); opened by :func:`trainlab.tune.storage.open_storage`.
"""

from __future__ import annotations

from pathlib import Path

from trainlab.errors import ConfigError

#: the URL schemes of a PostgreSQL storage
SCHEMES = ("postgresql://", "postgresql+psycopg2://")


def is_url(spec: str) -> bool:
    return "://" in str(spec)


def check_spec(spec: str) -> str:
    """``spec``, refused in one line if it cannot work (checked before anything is written)."""
    spec = str(spec)
    if is_url(spec) and not spec.startswith(SCHEMES):
        raise ConfigError(
            f"unsupported --storage {spec.split('://')[0]}://...; "
            "give a journal file path or a postgresql:// URL"
        )
    if is_url(spec):
        try:  # sqlalchemy imported on use: a journal needs none
            from sqlalchemy.engine import make_url

            _ = make_url(spec).port  # the port is parsed on first use
        except ImportError:
            pass
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"malformed --storage URL {redacted(spec)} ({exc}); write it as "
                "postgresql://USER@HOST:PORT/DATABASE"
            ) from None
    elif not Path(spec).parent.is_dir():  # a typo must not become a new folder tree
        raise ConfigError(
            f"the folder {Path(spec).parent} of --storage {spec} does not exist; "
            "create it first or choose another --storage"
        )
    return spec


def redacted(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, user = head.partition("://")
    return f"{scheme}://{user.split(':')[0]}@{tail}"
