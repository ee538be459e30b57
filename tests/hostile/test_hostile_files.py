"""Every file trainlab reads, damaged every way the table below generates: truncated,
byte-flipped, emptied, replaced by garbage, by JSON of the wrong shape (each key removed
or given a value of the wrong type), by a folder, a FIFO or a device. Reading it must
end with exit 2 and one line ``trainlab: error: ...`` naming the file, never a
traceback or a hang, and the run folder must be left exactly as it was."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from trainlab.cli import main

TINY = ["--hidden", "8", "--batch-size", "20", "--train-size", "100", "--epochs", "1", "--quiet"]


def call(argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()


# -- damage, generated ---------------------------------------------------------------------
def _bytes_damage(data: bytes) -> dict:
    """Damage that works on any file: name → new bytes (or a special kind)."""
    out = {
        "empty": b"",
        "one-byte": data[:1],
        "truncated-half": data[: len(data) // 2],
        "truncated-tail": data[:-3],
        "garbage": np.random.default_rng(0).bytes(200),
        "text": b"hello\n",
    }
    # XOR 0xFF: never valid UTF-8 in JSON; breaks a zip's or gzip's CRC or structure
    # (64: inside the first member of a zip, inside the deflate data of a gzip file)
    for at in sorted(
        {a for a in (0, 64, len(data) // 3, len(data) // 2, len(data) - 6) if 0 <= a < len(data)}
    ):
        flipped = bytearray(data)
        flipped[at] ^= 0xFF
        out[f"flip@{at}"] = bytes(flipped)
    return out


SPECIAL = ("directory", "fifo", "device")


def _json_damage(doc, wrong: dict) -> dict:
    """JSON of the wrong shape: another top-level type, each key in ``wrong`` removed
    (where ``wrong[key]`` says it is required) or given each of its wrong values."""
    out = {
        f"top-{name}": json.dumps(v).encode()
        for name, v in [
            ("list", []),
            ("null", None),
            ("string", "x"),
            ("number", 1),
            ("object", {}),
        ]
    }
    out["deep-nesting"] = b"[" * 100_000 + b"]" * 100_000
    for key, (required, values) in wrong.items():
        if required:
            out[f"drop-{key}"] = json.dumps(_set(doc, key, DROP)).encode()
        for i, value in enumerate(values):
            out[f"{key}={json.dumps(value)[:20]}#{i}"] = json.dumps(_set(doc, key, value)).encode()
    return out


DROP = object()


def _set(doc: dict, key: str, value) -> dict:
    """A copy of ``doc`` with ``key`` (``part.name`` for a nested one) set to ``value``
    (removed for :data:`DROP`)."""
    head, _, rest = key.partition(".")
    if rest:
        return {**doc, head: _set(doc[head], rest, value)}
    if value is DROP:
        return {k: v for k, v in doc.items() if k != key}
    return {**doc, key: value}


def _apply(path: Path, how, data: dict):
    if os.path.lexists(path):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if how == "directory":
        path.mkdir()
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "device":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(data[how])


def _snapshot(folder: Path) -> dict:
    return {
        str(p.relative_to(folder)): (
            p.read_bytes() if p.is_file() and not p.is_fifo() and not p.is_symlink() else p.is_dir()
        )
        for p in sorted(folder.rglob("*"))
    }


#: config.json: values of the wrong type (or out of range) for each kind of setting
WRONG_BY_DEFAULT = {
    bool: ["x", 1, [1]],
    int: ["x", 1.5, -1, True, [1]],
    float: ["x", [1], {}, True],
    str: [1, [1], {}, True, ""],
    tuple: ["x", [0], [True], 5, [1.5]],
    dict: ["x", [1], {"": 1}, {"k": [1]}],
}
WRONG_SPECIAL = {
    "data.task": ["nope", 1],
    "data.scale": ["nope", 1],
    "data.target_scale": ["nope", 1],
    "data.val_ratio": ["x", 1.5, -0.1, True],
    "data.test_ratio": ["x", 1.5, True],
    "data.train_size": ["x", 0, True, 1.5],
    "data.data_dir": [1, [1], ""],
    "data.file": [1, [1], ""],
    "data.target": [1, {}, ""],
    "network.init": [[1], {}, None, True],
    "network.dropout_mode": ["nope", 1],
    "network.dtype": ["nope", 1],
    "optimizer.lr": ["x", True, -1, [1]],
    "optimizer.schedule": [1, [1], ""],
    "optimizer.transforms": ["x", [1], [{"name": "nope", "value": 1}], [{"name": "clip_by_norm"}]],
    "optimizer.partitions": ["x", [1], [{"params": 1, "rule": "sgd"}]],
    "training.iterations": ["x", 0, True],
    "training.early_stop": ["x", 0, True],
    "training.sampling": ["nope", 1],
    "training.track": ["nope", 1],
    "output.checkpoint_every": ["x", 0, True],
}


def _config_wrong(doc: dict) -> dict:
    """Every part of the saved spec and every setting in it: required, and refused
    when given a value of the wrong type."""
    from dataclasses import MISSING, fields

    from trainlab.train.spec import PARTS

    wrong = {"kind": (True, ["tune", 5, None]), "schema": (True, [1, "2", None, 99])}
    for part, kind in PARTS.items():
        wrong[part] = (True, ["x", [], None, 5])
        for f in fields(kind):
            key = f"{part}.{f.name}"
            if key in ("output.out", "output.quiet"):  # replaced when the run is resumed
                continue
            default = f.default_factory() if f.default is MISSING else f.default
            values = WRONG_SPECIAL.get(key) or WRONG_BY_DEFAULT[type(default)]
            wrong[key] = (True, values)
    return wrong


#: checkpoint.json: key → (required, wrong values)
CHECKPOINT_WRONG = {
    "format": (True, [1, 3, "2", None]),
    "arrays": (True, ["../config.json", "", 5, None, "a/b"]),
    "epoch": (True, [-1, 1.5, "1", None]),
    "iteration": (True, [-1, "x", None, True]),
    "position": (False, [-1, "x", 1.5]),
    "elapsed": (True, [-1, "x", None]),
    "stopped": (True, ["x", 1, None]),
    "rng": (True, ["x", None, [], {"state": 1}]),
    "network_rng": (False, ["x", {"bit_generator": "nope"}]),
    "history": (True, ["x", None, [], {"train_loss": "x"}, {"train_loss": ["a"]}]),
}

METRICS_WRONG = {
    "history": (
        True,
        [
            "x",
            None,
            [],
            {},
            {"train_loss": "x"},
            {"train_loss": ["a", "b"]},
            {"train_loss": [[1]]},
            {"train_loss": [True]},
        ],
    ),
}


def _idx(images: np.ndarray) -> bytes:
    return struct.pack(">IIII", 0x803, *images.shape) + images.tobytes()


def _labels(labels: np.ndarray) -> bytes:
    return struct.pack(">II", 0x801, len(labels)) + labels.tobytes()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A checkpointed train run, and a folder of small gzip'd MNIST-format IDX files."""
    root = tmp_path_factory.mktemp("made")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRAINLAB_OFFLINE", "1")
    mp.setenv("TRAINLAB_CACHE", str(root / "cache"))
    mp.delenv("TRAINLAB_DATA", raising=False)
    try:
        code, err = call(["train", *TINY, "--checkpoint-every", "1", "--out", root / "run"])
        assert code == 0, err
    finally:
        mp.undo()
    rng = np.random.default_rng(0)
    idx = root / "idx"
    idx.mkdir()
    for stem, n in (("train", 60), ("t10k", 20)):
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        (idx / f"{stem}-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx(images), mtime=0))
        (idx / f"{stem}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_labels(labels), mtime=0))
    return root


def _documents(made: Path) -> dict:
    """file (relative to ``made``) → (family → {damage name → bytes}), generated."""
    run = made / "run"
    docs = {
        name: json.loads((run / name).read_text())
        for name in ("config.json", "checkpoint.json", "metrics.json")
    }
    wrong = {
        "config.json": _config_wrong(docs["config.json"]),
        "checkpoint.json": CHECKPOINT_WRONG,
        "metrics.json": METRICS_WRONG,
    }
    files = [f"run/{n}" for n in docs] + [f"run/{docs['checkpoint.json']['arrays']}"]
    files += [f"idx/{n}" for n in sorted(os.listdir(made / "idx"))]
    out = {}
    for rel in files:
        data = (made / rel).read_bytes()
        out[rel] = {"bytes": _bytes_damage(data), "special": {k: None for k in SPECIAL}}
        name = Path(rel).name
        if name in wrong:
            out[rel]["json"] = _json_damage(docs[name], wrong[name])
    return out


#: which command reads each file
READERS = {
    "config.json": "resume",
    "checkpoint.json": "resume",
    "npz": "resume",
    "metrics.json": "diagnose",
    "idx": "mnist",
}
FILES = ["config.json", "checkpoint.json", "npz", "metrics.json", "idx"]
FAMILIES = ["bytes", "special", "json"]


def _argv(reader: str, work: Path) -> list:
    if reader == "resume":
        return ["train", "--resume", work / "run", "--quiet"]
    if reader == "diagnose":
        return ["diagnose", work / "run"]
    return ["train", "--dataset", "mnist", "--data-dir", work / "idx", *TINY, "--out", work / "out"]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("kind", FILES)
def test_damaged_file_is_one_line_naming_it_exit_2_and_nothing_changes(
    made, tmp_path, monkeypatch, kind, family
):
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    monkeypatch.setenv("TRAINLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TRAINLAB_DATA", raising=False)
    docs = _documents(made)
    chosen = {
        rel: d
        for rel, d in docs.items()
        if (
            Path(rel).suffix == ".npz"
            if kind == "npz"
            else rel.startswith("idx/")
            if kind == "idx"
            else Path(rel).name == kind
        )
    }
    assert chosen
    tried, failures = 0, []
    for rel, families in chosen.items():
        damages = families.get(family)
        if damages is None:
            continue
        for how in damages:
            work = tmp_path / f"case{tried}"
            shutil.copytree(made / "run", work / "run", symlinks=True)
            shutil.copytree(made / "idx", work / "idx")
            _apply(work / rel, how, damages)
            before = _snapshot(work)
            code, err = call(_argv(READERS[kind], work))
            tried += 1
            lines = err.splitlines()
            named = Path(rel).name in err or str(work / Path(rel).parent) in err
            if (
                code != 2
                or len(lines) != 1
                or not lines[0].startswith("trainlab: error: ")
                or not named
                or _snapshot(work) != before
            ):
                failures.append(f"{rel} {how}: exit {code}: {err.strip()[:300]}")
            shutil.rmtree(work)
    print(f"{kind} {family}: {tried} damaged files refused")
    if family == "json" and kind in ("npz", "idx"):
        assert tried == 0
        return
    assert tried >= (3 if family == "special" else 5)
    assert not failures, (
        f"{len(failures)} of {tried} damaged files not refused cleanly:\n" + "\n".join(failures)
    )


def test_idx_bomb_is_refused_before_allocating(tmp_path):
    """A small gzip file whose header claims 2**32-1 images is refused without
    allocating what it claims (peak Python memory stays a few MB)."""
    import tracemalloc

    from trainlab.data.idx import read_images
    from trainlab.errors import DataError

    header = struct.pack(">IIII", 0x803, 2**32 - 1, 28, 28)
    path = tmp_path / "bomb-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(header + bytes(20_000_000), mtime=0))
    assert path.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="bomb-idx3-ubyte.gz.*claims 4,294,967,295 images"):
            read_images(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("name", ["config.json", "metrics.json"])
def test_report_skips_a_damaged_run_with_one_warning_and_builds_the_rest(
    made, tmp_path, name, family
):
    """``report`` reads every run under a folder: a damaged one costs at most one warning
    line naming its file (a value of the wrong type may just be shown as it is)."""
    damages = _documents(made)[f"run/{name}"][family]
    failures = []
    for i, how in enumerate(damages):
        root = tmp_path / f"case{i}"
        shutil.copytree(made / "run", root / "bad", symlinks=True)
        shutil.copytree(made / "run", root / "good", symlinks=True)
        _apply(root / "bad" / name, how, damages)
        code, err = call(["report", root])
        page = root / "report.html"
        lines = err.splitlines()
        shown = page.is_file() and "<code>good</code>" in page.read_text(encoding="utf-8")
        warned = (
            len(lines) == 1
            and lines[0].startswith("trainlab: warning: skipped")
            and str(root / "bad") in lines[0]
        )
        if code != 0 or not shown or not (warned or not lines):
            failures.append(f"{name} {how}: exit {code}: {err.strip()[:300]}")
        shutil.rmtree(root)
    assert damages and not failures, "\n".join(failures)


def test_idx_bomb_given_as_a_data_file_is_refused_before_allocating(tmp_path):
    """The same bomb through ``--data`` (any IDX file, :func:`read_idx`): refused before
    the body is read, at a few MB of peak memory."""
    import tracemalloc

    from trainlab.data.idx import read_idx
    from trainlab.errors import DataError

    header = struct.pack(">IIII", 0xD03, 2**32 - 1, 28, 28)  # float32, 3 dimensions
    path = tmp_path / "bomb-x.idx.gz"
    path.write_bytes(gzip.compress(header + bytes(20_000_000), mtime=0))
    assert path.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="bomb-x.idx.gz.*claims"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak
