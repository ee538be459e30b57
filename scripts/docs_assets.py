"""MkDocs hook: the site serves its own scripts, so it works from files with no network.

Two npm packages, both MIT-licensed, are not kept in the repository:

* **KaTeX** draws the equations: its script, auto-render extension, style sheet and
  WOFF2 fonts go to ``assets/katex/``; ``docs/javascripts/katex.js`` renders the
  ``\\( .. \\)`` and ``\\[ .. \\]`` spans that pymdownx.arithmatex writes;
* **iframe-worker**'s shim lets Material's search run from ``file://`` (the offline
  plugin would otherwise load it from unpkg.com): ``assets/iframe-worker/shim.js``.

On the first build each package, a pinned version whose SHA-512 is checked against
the one the registry published, is fetched into ``build/npm/`` (kept until ``make
clean``; with ``TRAINLAB_OFFLINE=1`` never fetched); every build copies the files
the pages need, with each package's licence, into the site.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

CACHE = Path(__file__).resolve().parents[1] / "build" / "npm"
SHIM = "assets/iframe-worker/shim.js"
#: name → (version, SHA-512 as npm publishes it, {file in the package: path in the site})
PACKAGES = {
    "katex": (
        "0.19.1",
        "jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA==",
        {
            "dist/katex.min.js": "assets/katex/katex.min.js",
            "dist/katex.min.css": "assets/katex/katex.min.css",
            "dist/contrib/auto-render.min.js": "assets/katex/contrib/auto-render.min.js",
            "dist/fonts/*.woff2": "assets/katex/fonts/",
            "LICENSE": "assets/katex/LICENSE",
        },
    ),
    "iframe-worker": (
        "1.0.4",
        "roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q==",
        {"shim/index.js": SHIM, "LICENSE": "assets/iframe-worker/LICENSE"},
    ),
}


def _digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def _tarball(name: str) -> bytes:
    """The package's .tgz from the cache, else from the npm registry (then cached)."""
    version, sha512, _ = PACKAGES[name]
    path = CACHE / f"{name}-{version}.tgz"
    if path.is_file() and _digest(path.read_bytes()) == sha512:
        return path.read_bytes()
    url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    if os.environ.get("TRAINLAB_OFFLINE") == "1":
        raise PluginError(
            f"{path} is missing and TRAINLAB_OFFLINE=1 forbids fetching {url}; run make "
            "docs once with a network (it keeps the file)"
        )
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    except OSError as exc:
        raise PluginError(
            f"cannot fetch {url} ({exc}); connect once, or put it at {path}"
        ) from None
    if _digest(data) != sha512:
        raise PluginError(f"{url}: its SHA-512 is not the pinned one; refusing it")
    CACHE.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(data)
    part.replace(path)  # a killed download leaves no half file under the real name
    return data


def _copy(name: str, site: Path) -> None:
    files = PACKAGES[name][2]
    with tarfile.open(fileobj=io.BytesIO(_tarball(name)), mode="r:gz") as tar:
        for member in tar.getmembers():
            inner = member.name.removeprefix("package/")
            folder = str(Path(inner).parent) + "/*" + Path(inner).suffix
            target = files.get(inner) or (files.get(folder) and files[folder] + Path(inner).name)
            if member.isfile() and target:
                (site / target).parent.mkdir(parents=True, exist_ok=True)
                (site / target).write_bytes(tar.extractfile(member).read())


@event_priority(100)  # before the offline plugin, which adds unpkg's shim when none is set
def on_config(config, **kwargs):
    config.extra["polyfills"] = [SHIM]
    return config


def on_post_build(config, **kwargs) -> None:
    site = Path(config["site_dir"])
    for name in PACKAGES:
        shutil.rmtree(site / "assets" / name, ignore_errors=True)
        _copy(name, site)
