"""Sharpness during training, and what it says about the learning rate.

The sharpness is the top eigenvalue of the loss's Hessian
(:func:`trainlab.nn.spectrum.top_eigenvalues`). Under full-batch gradient descent
it rises until it reaches 2/η and hovers there (Cohen et al., "Gradient descent
on neural networks typically occurs at the edge of stability", ICLR 2021): past
2/η a step overshoots along the sharpest direction (:mod:`trainlab.theory`). With
Momentum the edge is ``2(1 + α)/η``. Mini-batches add noise: each batch has its
own Hessian, and SGD settles where the sharpness stays below the full-batch edge.

Cost: one measurement is ``iterations`` Hessian-vector products on ``samples``
training samples (each product about two and a half gradients of that size;
``benchmarks/bench_hessian.py``).
"""

from __future__ import annotations

import math
import time

import numpy as np

from trainlab.nn.spectrum import top_eigenvalues
from trainlab.optim import SGD, Momentum, Nesterov
from trainlab.validate import check_count, check_positive, check_unit

#: sharpness within this share below the edge counts as pinned at it
PINNED = 0.8
#: ... and this much above the edge as above it
ABOVE = 1.1


def edge(lr: float, momentum: float = 0.0) -> float:
    """The largest stable curvature for a step: ``2 (1 + α) / η`` (2/η without momentum)."""
    return 2.0 * (1.0 + check_unit("momentum", momentum)) / check_positive("lr", lr)


def sharpness_verdict(top_eigenvalues, lr: float, momentum: float = 0.0) -> str | None:
    """A sentence when the sharpness over the second half of training sits at or
    above the edge of stability ``2(1 + α)/η``; ``None`` when it stays below.

    For gradient descent and Momentum; an adaptive rule (Adam) rescales each
    direction, so its edge is not 2/η (pass nothing for such a rule).
    """
    values = np.asarray(top_eigenvalues, dtype=np.float64).reshape(-1)
    if values.size == 0:
        return None
    limit = edge(lr, momentum)
    late = values[values.size // 2 :]
    if not np.all(np.isfinite(late)):
        return "the sharpness became infinite: training diverged; lower the lr"
    level = float(np.median(late))
    if level > ABOVE * limit:
        return (
            f"sharpness {level:.3g} is above the edge 2(1+momentum)/lr = {limit:.3g}: every "
            "step overshoots along the sharpest direction; lower the lr (trainlab lrfind)"
        )
    if level >= PINNED * limit:
        return (
            f"sharpness {level:.3g} is pinned at the edge 2(1+momentum)/lr = {limit:.3g}: "
            "the loss oscillates along the sharpest direction; a lower lr gives a smoother curve"
        )
    return None


def sharpness_evidence(history: dict) -> tuple[str, str] | None:
    """What a run's tracked sharpness (``trainlab train --track sharpness``) says
    about its learning rate, for the doctor: ``("above", sentence)`` when over the
    second half of training the sharpness sits above the edge 2(1 + α)/η measured
    at each step, ``("pinned", sentence)`` when it sits at it, ``None`` when it
    stays below, was not tracked, or the rule has no such edge (adaptive rules)."""
    tops, edges = history.get("sharpness") or [], history.get("sharpness_edge") or []
    pairs = [(t, e) for t, e in zip(tops, edges, strict=False) if e is not None]
    late = pairs[len(pairs) // 2 :]
    if not late:
        return None
    if any(t is None or not math.isfinite(t) for t, _ in late):
        return "above", "the sharpness became infinite while training"
    ratio = float(np.median([t / e for t, e in late]))
    top = float(np.median([t for t, _ in late]))
    if ratio > ABOVE:
        return "above", (
            f"sharpness {top:.3g} sat at {ratio:.2g}x the edge 2(1+momentum)/lr over the "
            "second half of training: each step overshoots along the sharpest direction"
        )
    if ratio >= PINNED:
        return "pinned", f"sharpness {top:.3g} sat at the edge 2(1+momentum)/lr ({ratio:.2g}x)"
    return None


class SharpnessTracker:
    """A Trainer callback: the top eigenvalue on the first ``samples`` training
    samples every ``every`` steps (default: once per epoch, at its last step).

    It adds ``sharpness`` (the eigenvalues), ``sharpness_iteration`` and
    ``sharpness_edge`` (2(1 + α)/lr at that step) to the trainer's history, and
    keeps the seconds it spent in ``seconds``. It changes nothing the training
    does: the products leave the network and its generator as they were.
    """

    def __init__(self, samples: int = 1000, iterations: int = 20, every: int | None = None):
        self.samples = check_count("samples", samples)
        self.iterations = check_count("iterations", iterations)
        self.every = None if every is None else check_count("every", every)
        self.seconds, self.measurements = 0.0, 0

    def on_step(self, trainer, it, loss) -> None:
        every = self.every or trainer.iter_per_epoch
        if it % every == 0 or it == trainer.max_iter:
            self.measure(trainer, it)

    def measure(self, trainer, it: int) -> float:
        start = time.perf_counter()
        x, t = trainer.data.x_train[: self.samples], trainer.data.t_train[: self.samples]
        rng = np.random.default_rng(it)  # the start vector: same run, same numbers
        top = math.inf
        if np.all(np.isfinite(trainer.network.flat_params)):
            with np.errstate(all="ignore"):
                top = float(top_eigenvalues(trainer.network, x, t, 1, self.iterations, rng)[0])
        h = trainer.history
        opt = trainer.optimizer
        momentum = float(getattr(opt, "momentum", 0.0) or 0.0)
        h.setdefault("sharpness", []).append(top if math.isfinite(top) else None)
        h.setdefault("sharpness_iteration", []).append(int(it))
        # the edge 2(1 + α)/η holds for gradient descent and its momentum forms; an
        # adaptive rule rescales each direction, so it has none (None)
        plain = isinstance(opt, SGD | Momentum | Nesterov)
        h.setdefault("sharpness_edge", []).append(
            edge(opt.lr, min(momentum, 0.999)) if plain else None
        )
        self.seconds += time.perf_counter() - start
        self.measurements += 1
        return top

    def cost(self, trainer) -> dict:
        """What tracking cost, for metrics.json."""
        return {
            "samples": min(self.samples, len(trainer.data.x_train)),
            "hessian_vector_products_per_measurement": self.iterations,
            "measurements": self.measurements,
            "seconds": round(self.seconds, 3),
            "share_of_training_time": round(self.seconds / max(trainer.elapsed, 1e-9), 3),
        }


def tracked_costs(trainer) -> dict:
    """``{'sharpness': cost}`` when the trainer tracks sharpness, else ``{}``."""
    found = [cb for cb in trainer.callbacks if isinstance(cb, SharpnessTracker)]
    return {"sharpness": found[0].cost(trainer)} if found else {}
