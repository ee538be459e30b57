"""Run folders: where a command writes ``config.json``, ``metrics.json`` and figures."""

from __future__ import annotations

import os
import time
from pathlib import Path

from trainlab.errors import ConfigError


def prepare_out(out, kind: str) -> Path:
    """Create (if needed) and return the output folder, or fail with one clear line.

    ``None`` gives ``runs/<kind>-<YYYYmmdd-HHMMSS>``.
    """
    path = Path(out) if out else Path("runs") / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}"
    if path.exists() and not path.is_dir():
        raise ConfigError(f"output path {path} is a file; pass a folder to --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create output folder {path}: {exc.strerror}; "
                          "choose another --out") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"output folder {path} is not writable; choose another --out")
    return path
