"""A regression's numbers in the target's own units.

With ``--target-scale standard`` the network learns standardised targets,
``z = (t − mean) / std`` (the training split's mean and std, per output), so
the losses of the training history are in those units. What a practitioner
reads is the error in the target's own units: the prediction is mapped back,
``ŷ = z_pred · std + mean``, and then, over the ``N`` rows and ``K`` outputs of
a split,

    MSE  = mean((ŷ − t)²)        RMSE = √MSE        MAE = mean(|ŷ − t|)
    R²   = 1 − Σ(ŷ − t)² / Σ(t − mean t)²   (per output, then averaged)

R² is the same in either unit; MSE, RMSE and MAE are not. The weight-decay
penalty is not part of these errors.
"""

from __future__ import annotations

import numpy as np

from trainlab.nn.losses import r2_score

UNITS_NOTE = (
    "the history's losses are mean squared errors of the standardised targets "
    "(t - mean) / std of the training split; summary's mse, rmse and mae are in "
    "the target's own units"
)


def predict_units(net, x, target_scaler=None, batch_size: int = 10000) -> np.ndarray:
    """The network's outputs for the (already scaled) inputs ``x``, mapped back to
    the target's own units when ``target_scaler`` is given; shape (N, K), float64."""
    out = [net.predict(x[lo : lo + batch_size]) for lo in range(0, len(x), batch_size)]
    y = np.concatenate(out) if out else np.empty((0, net.output_size))
    return np.asarray(y, np.float64) if target_scaler is None else target_scaler.invert(y)


def errors(y, t) -> dict:
    """``mse``, ``rmse``, ``mae`` and ``r2`` of predictions ``y`` against targets ``t``."""
    y = np.asarray(y, np.float64).reshape(len(t), -1)
    t = np.asarray(t, np.float64).reshape(len(t), -1)
    mse = float(np.mean((y - t) ** 2))
    return {
        "mse": mse,
        "rmse": float(np.sqrt(mse)),
        "mae": float(np.mean(np.abs(y - t))),
        "r2": r2_score(y, t),
    }


def in_target_units(net, prepared) -> dict:
    """``final_<split>_<mse|rmse|mae|r2>`` for every split of a
    :class:`~trainlab.data.prepared.Prepared` regression, in the target's units."""
    out = {}
    for split in ("train", "val", "test"):
        part = getattr(prepared, split)
        if part is None or len(part[0]) == 0:
            continue
        y = predict_units(net, part[0], prepared.target_scaler)
        for name, value in errors(y, prepared.raw_targets[split]).items():
            out[f"final_{split}_{name}"] = value
    return out


def scaling_arrays(prepared) -> dict:
    """The scaling fitted at training time, as the arrays of ``scaling.npz``:
    ``feature_shift``/``feature_scale`` and, for standardised regression
    targets, ``target_shift``/``target_scale`` (``x -> (x − shift) / scale``)."""
    out = {
        "feature_shift": np.asarray(prepared.scaler.shift, np.float64),
        "feature_scale": np.asarray(prepared.scaler.scale, np.float64),
    }
    if prepared.target_scaler is not None:
        out["target_shift"] = np.asarray(prepared.target_scaler.shift, np.float64)
        out["target_scale"] = np.asarray(prepared.target_scaler.scale, np.float64)
    return out
