"""What the hidden layers do: activation statistics and gradient norms per layer.

The doctor reads these to tell vanishing, dead or saturated activations and
exploding gradients apart (the notes' histograms of activations under
different initial weights, as numbers).

* ``dead`` (ReLU): share of units that output 0 for every sample of the probe
  batch; such a unit gets no gradient and never recovers.
* ``saturated`` (sigmoid, tanh): share of outputs within ``SATURATION`` of the
  function's limits (0 or 1; -1 or 1), where the local gradient is almost 0.
"""

from __future__ import annotations

import re

import numpy as np

from trainlab.nn.layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, Tanh

#: distance from a limit that counts as saturated (sigmoid' < 0.02 there)
SATURATION = 0.02


def activation_stats(network, x) -> list[dict]:
    """Per hidden layer, on the probe batch ``x`` in eval mode (no state changes):
    ``{"layer", "kind", "mean", "std", "dead" | "saturated"}``."""
    out: list[dict] = []
    h = np.asarray(x, dtype=network.dtype)
    for layer in network.layers[:-1]:  # the output Affine has no activation
        h = (
            layer.forward(h, False)
            if isinstance(layer, (BatchNormalization, Dropout))
            else layer.forward(h)
        )
        if not isinstance(layer, (Relu, Sigmoid, Tanh)):
            continue
        rec = {
            "layer": len(out) + 1,
            "kind": type(layer).__name__.lower(),
            "mean": float(np.mean(h, dtype=np.float64)),
            "std": float(np.std(h, dtype=np.float64)),
        }
        if isinstance(layer, Relu):
            rec["dead"] = float(np.mean(~(h > 0).any(axis=0)))
        else:
            low = 0.0 if isinstance(layer, Sigmoid) else -1.0
            rec["saturated"] = float(np.mean((h < low + SATURATION) | (h > 1.0 - SATURATION)))
        out.append(rec)
    return out


def layer_grad_norms(grads: dict) -> dict[str, float]:
    """L2 norm of each layer's gradients (``W1, b1, gamma1, beta1`` → ``"layer1"``)."""
    sq: dict[str, float] = {}
    for name, g in grads.items():
        m = re.search(r"(\d+)$", name)
        key = f"layer{m.group(1)}" if m else name
        g = np.asarray(g, dtype=np.float64).reshape(-1)
        sq[key] = sq.get(key, 0.0) + float(np.dot(g, g))
    return {k: float(np.sqrt(v)) for k, v in sq.items()}


def blame_layer(network, x, grads: dict) -> str:
    """Where a step went wrong, for the divergence message: the first layer whose
    output is not finite on ``x`` (eval mode), else the first with non-finite
    parameters or gradients, else the layer with the largest gradient norm."""
    params = getattr(network, "params", {})
    for name, p in params.items():
        if not np.all(np.isfinite(p)):
            number = re.sub(r"^\D+", "", name)
            return f"layer {number} ({name} is not finite)"
    layers = getattr(network, "layers", None)
    if layers is not None:
        h, k = np.asarray(x, dtype=network.dtype), 0
        with np.errstate(all="ignore"):
            for layer in layers:
                k += isinstance(layer, Affine)
                h = (
                    layer.forward(h, False)
                    if isinstance(layer, (BatchNormalization, Dropout))
                    else layer.forward(h)
                )
                if not np.all(np.isfinite(h)):
                    return f"layer {k} ({type(layer).__name__} output is not finite)"
    norms = layer_grad_norms(grads)
    if not norms:
        return "unknown layer"
    for key, v in norms.items():
        if not np.isfinite(v):
            return f"{key.replace('layer', 'layer ')} (gradient is not finite)"
    key = max(norms, key=norms.__getitem__)
    return f"{key.replace('layer', 'layer ')} (largest gradient norm {norms[key]:.3g})"
