"""A trained run, used: :func:`load_run` and :class:`TrainedRun`.

A ``trainlab train --data FILE`` run folder holds what is needed to apply its
network to new rows: ``config.json`` (the network's shape and the data's
columns, classes and task), ``params.npz`` (the trained parameters and batch
norm's running statistics) and ``scaling.npz`` (the feature scaling and, for a
regression, the target scaling fitted on the training split). A prediction is
then, for raw feature rows ``x``,

    z = (x − feature_shift) / feature_scale        the scaling of training time
    s = network(z)                                 eval mode: running statistics, no dropout
    classification: the class value of argmax s, probabilities softmax(s)
    regression:     ŷ = s · target_scale + target_shift   (the target's own units)

>>> run = load_run("runs/my-run")                     # doctest: +SKIP
>>> run.predict(run.read("new.csv"))                  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainlab.data.prepared import Scaler
from trainlab.data.rows import read_rows
from trainlab.errors import DataError
from trainlab.io import load_npz, read_json
from trainlab.nn.layers import softmax
from trainlab.nn.net import MultiLayerNet
from trainlab.schema import DICT, LIST, need
from trainlab.train.build import network
from trainlab.train.regression import errors
from trainlab.train.spec_flat import read_saved


@dataclass
class TrainedRun:
    """A trained network with the scaling and the columns of its training data."""

    folder: Path
    network: MultiLayerNet  # holding the saved parameters
    task: str
    features: list
    target: str | None
    classes: list | None
    feature_scaler: Scaler
    target_scaler: Scaler | None

    def read(self, path):
        """The feature rows of a ``.csv``/``.tsv``/``.npz`` file, columns matched by
        name (see :func:`trainlab.data.rows.read_rows`); returns ``(x, y or None)``."""
        return read_rows(path, self.features, self.target)

    def scores(self, x) -> np.ndarray:
        """The network's outputs (N, K) for raw feature rows ``x``, in eval mode."""
        z = self.feature_scaler.apply(np.asarray(x, np.float64), self.network.dtype)
        return np.asarray(self.network.predict(z), np.float64)

    def predict(self, x) -> np.ndarray:
        """Class values (classification) or targets in their own units (regression:
        shape (N,) for one output, (N, K) for several)."""
        s = self.scores(x)
        if self.task == "classification":
            return np.array(self.classes, dtype=object)[s.argmax(axis=1)]
        y = s if self.target_scaler is None else self.target_scaler.invert(s)
        return y[:, 0] if y.shape[1] == 1 else y

    def predict_proba(self, x) -> np.ndarray:
        """Class probabilities, softmax of the scores, columns in ``classes`` order."""
        if self.task != "classification":
            raise DataError(f"{self.folder} is a regression; probabilities are for classes")
        return softmax(self.scores(x))


def load_run(folder) -> TrainedRun:
    """The trained network of a ``trainlab train --data FILE`` run folder, ready to
    predict; any missing or damaged piece is one :class:`DataError` naming it."""
    folder = Path(folder)
    fix = "pass the folder of a finished trainlab train --data run"
    try:
        config = read_json(folder / "config.json")
    except FileNotFoundError:
        raise DataError(f"{folder} has no config.json; {fix}") from None
    if not isinstance(config, dict) or config.get("kind") != "train":
        raise DataError(f"{folder} is not a trainlab train run; {fix}")
    path = folder / "config.json"
    spec = read_saved(config, str(path))
    if not spec.data.file:
        raise DataError(
            f"{folder} was trained on --dataset {spec.data.dataset}; predict applies "
            "runs trained on --data FILE, whose columns and scaling it knows"
        )
    described = config["described"] if "schema" in config else config  # before schema 2
    data = need(described, "data", DICT, path, fix)
    for name in ("params.npz", "scaling.npz"):
        if not (folder / name).is_file():
            raise DataError(f"{folder} has no {name}; the run did not finish: train it again")
    scaling = load_npz(folder / "scaling.npz")
    features = need(data, "features", LIST, path, fix)
    try:
        network = _network(spec, data, len(features), load_npz(folder / "params.npz"), folder)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(
            f"{path}: the network's settings are missing or damaged ({exc!r}); train the run again"
        ) from None
    target = None
    if "target_shift" in scaling:
        target = Scaler("standard", scaling["target_shift"], scaling["target_scale"])
    return TrainedRun(
        folder,
        network,
        data["task"],
        [str(f) for f in features],
        data.get("target"),
        data.get("classes"),
        Scaler(data.get("scale", "standard"), scaling["feature_shift"], scaling["feature_scale"]),
        target,
    )


def _network(spec, data, n_features, saved, folder):
    """A MultiLayerNet of the saved shape holding the saved parameters."""
    rng = np.random.default_rng(0)  # the weights drawn are replaced by the saved ones
    net = network(spec.network, n_features, data["n_outputs"], data["task"], rng)
    for name, p in net.params.items():
        a = saved.get(f"params/{name}")
        if a is None or a.shape != p.shape:
            raise DataError(
                f"{folder}/params.npz: {name} is missing or not of shape {p.shape}; "
                "the file does not match config.json: train the run again"
            )
        p[...] = a
    for i, bn in enumerate(net.batchnorms, start=1):
        bn.running_mean = saved[f"buffers/running_mean{i}"].astype(net.dtype)
        bn.running_var = saved[f"buffers/running_var{i}"].astype(net.dtype)
    return net


def prediction_table(run: TrainedRun, x, y=None) -> tuple[str, str]:
    """The predictions for rows ``x`` as CSV text (a header, then one line per row;
    numbers written so that they read back exactly), and, when the rows' true
    targets ``y`` are given, a few words on how close they came."""
    import csv
    import io

    name = run.target or "prediction"
    pred = run.predict(x)
    if run.task == "classification":
        header = [name, *(f"p({c})" for c in run.classes or [])]
        cols = [list(pred), *run.predict_proba(x).T]
    else:
        p2 = np.asarray(pred).reshape(len(x), -1)
        header = [name] if p2.shape[1] == 1 else [f"{name}_{k}" for k in range(p2.shape[1])]
        cols = list(p2.T)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([[_cell(v) for v in row] for row in zip(*cols, strict=True)])
    return buf.getvalue(), "" if y is None else _score(run, pred, y)


def _cell(v) -> str:
    return repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)


def _score(run, pred, y) -> str:
    if run.task == "classification":
        right = sum(_same(a, b) for a, b in zip(pred, y, strict=True))
        return f"; accuracy against the file's {run.target!r} column: {right / len(y):.4f}"

    if np.asarray(y).dtype.kind not in "f":
        return ""
    e = errors(pred, y)
    return (
        f"; against the file's {run.target!r} column: MSE {e['mse']:.6g}, RMSE "
        f"{e['rmse']:.6g}, MAE {e['mae']:.6g}"
    )


def _same(a, b) -> bool:
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)
