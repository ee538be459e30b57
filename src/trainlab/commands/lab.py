"""``trainlab lab [DIR]``: copy the notebooks into DIR and open JupyterLab there."""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

from trainlab.errors import ConfigError
from trainlab.notebooks import copy_notebooks

NAME = "lab"
HELP = (
    "copy the notes' notebooks (Korean or English) into a folder and start JupyterLab on 127.0.0.1"
)

DEFAULT_DIR = "trainlab-notebooks"


def add_arguments(p) -> None:
    p.add_argument(
        "dir",
        nargs="?",
        default=DEFAULT_DIR,
        metavar="DIR",
        help="folder for the notebooks (default: ./%(default)s); notebooks you "
        "edited there are never overwritten",
    )
    p.add_argument(
        "--lang",
        choices=("ko", "en"),
        default="en",
        help="ko: the notes' Korean; en: English (default: %(default)s)",
    )
    p.add_argument("--port", type=int, default=0, help="port for JupyterLab (default: a free one)")
    p.add_argument(
        "--no-browser", action="store_true", help="only print the URL; do not open a browser"
    )
    p.add_argument(
        "--copy-only",
        action="store_true",
        help="copy the notebooks and stop (for your own Jupyter or VS Code)",
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_jupyterlab() -> None:
    if (
        importlib.util.find_spec("jupyterlab") is None
        or importlib.util.find_spec("ipywidgets") is None
    ):
        raise ConfigError(
            "JupyterLab is not installed; install it with "
            "pip install 'trainlab[learn]' (or use --copy-only)"
        )


def describe(report, folder) -> list[str]:
    """What the copy did, a line per kind of outcome."""
    lines = []
    for names, what in (
        (report.copied, "copied"),
        (report.updated, "updated"),
        (report.current, "up to date"),
    ):
        if names:
            lines.append(f"{what}: {len(names)} notebook{'s' * (len(names) != 1)} in {folder}")
    for name in report.kept:
        lines.append(f"kept your edited {name} (delete it to get the shipped one)")
    return lines


def jupyter_command(folder, port: int, browser: bool) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={folder}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")  # containers and Colab-like machines
    return cmd if browser else [*cmd, "--no-browser"]


class _Stopped(Exception):
    """SIGTERM arrived while JupyterLab ran."""


def _stop(signum, frame):
    raise _Stopped()


def stop(proc, grace: float = 30.0) -> None:
    """Ask JupyterLab to shut down (it then stops its kernels); kill it if it will not."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run(args) -> int:
    if not args.copy_only:
        check_jupyterlab()
        if not 0 <= args.port <= 65535:
            raise ConfigError(f"--port must be between 0 and 65535, got {args.port}")
    folder = Path(args.dir).expanduser().resolve()
    report = copy_notebooks(folder, args.lang)
    for line in describe(report, folder):
        print(line)
    if args.copy_only:
        return 0
    port = args.port or free_port()
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "JUPYTER_TOKEN": token}  # not on the command line, so not in ps
    print(f"JupyterLab: http://127.0.0.1:{port}/lab?token={token}", flush=True)
    print("stop it with Ctrl-C", flush=True)
    proc = subprocess.Popen(jupyter_command(folder, port, not args.no_browser), env=env)
    previous = signal.signal(signal.SIGTERM, _stop)  # a stopped trainlab stops JupyterLab
    try:
        code = proc.wait()
    except (KeyboardInterrupt, _Stopped):
        stop(proc)
        print("JupyterLab stopped")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
    if code not in (0, -2, 130):
        raise ConfigError(
            f"JupyterLab exited with status {code}; its message is above "
            f"(port {port} taken? try another --port)"
        )
    return 0
