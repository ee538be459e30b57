r"""The learning-rate range test (Smith 2017), made trustworthy.

Train for a few hundred steps while the learning rate grows exponentially from
``low`` to ``high``, and watch the loss: it barely moves while the rate is too
small, falls fastest where the rate is useful, and blows up once a step
overshoots (a curvature above 2/lr, :mod:`trainlab.theory`). Against what users
of one sweep report (fooled by noise and early spikes, a model left changed, a
suggestion that moves with the seed), this one

* leaves the network and the optimizer exactly as they were (bit for bit): each
  sweep runs on a copy of the optimizer and puts back the network's parameters,
  batch-norm statistics and generator state afterwards;
* repeats the sweep over ``seeds`` (other batches), smooths each loss curve
  (an exponential moving average with bias correction, ``beta``) and stops a
  sweep when its smoothed loss exceeds ``diverge`` times its minimum;
* suggests an interval, not a point: per seed, from the rate where the smoothed
  loss falls fastest (per unit of log lr) to a tenth of the rate where it is
  lowest (a step below the edge); the interval spans the seeds' own ends, and
  ``spread`` says how far the seeds' middles lie apart (in decades).

Paper: Smith, "Cyclical learning rates for training neural networks", WACV 2017;
fastai's ``lr_find``; Cohen et al. 2021 (why the loss blows up).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim import Optimizer, create
from trainlab.validate import check_count, check_positive, check_unit


@dataclass(frozen=True)
class Sweep:
    """One seed's sweep: the rates tried, the raw and smoothed losses (cut where it
    stopped) and that seed's suggestion."""

    lrs: list
    losses: list
    smoothed: list
    stopped_at: int | None
    steepest: float
    lowest: float

    @property
    def interval(self) -> tuple[float, float]:
        a, b = self.steepest, self.lowest / 10
        return (min(a, b), max(a, b))


@dataclass(frozen=True)
class LRFind:
    """Every seed's :class:`Sweep`, the suggested ``interval`` (low, high), its
    geometric ``middle`` and the seeds' ``spread`` (decades between the lowest
    and highest per-seed middle)."""

    sweeps: list = field(default_factory=list)
    interval: tuple = (math.nan, math.nan)
    middle: float = math.nan
    spread: float = math.nan

    def to_json(self) -> dict:
        return {
            "interval": list(self.interval),
            "middle": self.middle,
            "spread_decades": self.spread,
            "sweeps": [vars(s) for s in self.sweeps],
        }

    @classmethod
    def from_json(cls, doc: dict) -> LRFind:
        """The :class:`LRFind` that :meth:`to_json` wrote ``doc`` from."""
        return cls(
            [Sweep(**s) for s in doc["sweeps"]],
            tuple(doc["interval"]),
            doc["middle"],
            doc["spread_decades"],
        )


def smooth(losses, beta: float) -> np.ndarray:
    """Exponential moving average with bias correction (as fastai's)."""
    out, avg = np.empty(len(losses)), 0.0
    for i, value in enumerate(losses):
        avg = beta * avg + (1 - beta) * value
        out[i] = avg / (1 - beta ** (i + 1))
    return out


def _snapshot(net):
    return (
        net.flat_params.copy(),
        {k: v.copy() for k, v in net.buffers().items()},
        copy.deepcopy(net.rng.bit_generator.state),
    )


def _restore(net, snap) -> None:
    params, buffers, state = snap
    net.flat_params[...] = params
    for k, v in net.buffers().items():
        v[...] = buffers[k]
    net.rng.bit_generator.state = state


def sweep(net, x, t, optimizer, lrs, batch_size, rng, beta, diverge) -> Sweep:
    """One sweep from the network's current state (which it changes)."""
    opt = copy.deepcopy(optimizer)
    losses = []
    stopped = None
    best = math.inf
    with np.errstate(all="ignore"):
        for k, lr in enumerate(lrs):
            idx = rng.choice(len(x), size=min(batch_size, len(x)), replace=False)
            opt.lr = float(lr)
            grads = net.gradient(x[idx], t[idx])
            loss = float(net.last_loss)
            losses.append(loss)
            now = smooth(losses, beta)[-1]  # short lists: cheap enough
            best = min(best, now)
            if not math.isfinite(now) or now > diverge * best:
                stopped = k
                break
            opt.update(net.params, grads)
    return _summarise(lrs, losses, beta, stopped)


def _summarise(lrs, losses, beta, stopped) -> Sweep:
    n = len(losses)
    lrs = np.asarray(lrs[:n], dtype=np.float64)
    sm = smooth(np.where(np.isfinite(losses), losses, np.nan), beta)
    good = np.isfinite(sm)
    last = int(np.flatnonzero(good)[-1]) if good.any() else 0
    low = int(np.nanargmin(sm[: last + 1])) if good.any() else 0
    slope = np.gradient(sm[: low + 1], np.log(lrs[: low + 1])) if low >= 2 else np.zeros(1)
    steep = int(np.nanargmin(slope)) if low >= 2 else 0
    return Sweep(
        lrs=lrs.tolist(),
        losses=[float(v) for v in losses],
        smoothed=[float(v) if math.isfinite(v) else None for v in sm],
        stopped_at=stopped,
        steepest=float(lrs[steep]),
        lowest=float(lrs[low]),
    )


def lrfind(
    network,
    x,
    t,
    optimizer="sgd",
    *,
    low: float = 1e-5,
    high: float = 10.0,
    steps: int = 200,
    batch_size: int = 100,
    seeds: int = 3,
    beta: float = 0.9,
    diverge: float = 4.0,
    seed: int = 0,
) -> LRFind:
    """Sweep the learning rate of ``optimizer`` (a name or a rule object) from
    ``low`` to ``high`` over ``steps`` mini-batches of ``(x, t)``, ``seeds`` times;
    the network and the optimizer are left exactly as they were."""
    low, high = check_positive("low", low), check_positive("high", high)
    if not low < high:
        raise ConfigError(f"the sweep needs low < high, got {low:g} and {high:g}; swap them")
    steps, seeds = check_count("steps", steps, minimum=10), check_count("seeds", seeds)
    batch_size, beta = check_count("batch_size", batch_size), check_unit("beta", beta)
    if check_positive("diverge", diverge) <= 1:
        raise ConfigError(f"diverge must be > 1 (a multiple of the lowest loss), got {diverge}")
    opt = create(optimizer) if isinstance(optimizer, str) else optimizer
    if not isinstance(opt, Optimizer):
        raise ConfigError(
            f"the finder raises the lr of one update per batch; {type(opt).__name__} steps "
            "with a closure (a line search of its own): choose an update rule"
        )
    x = np.asarray(x, dtype=network.dtype)
    lrs = np.geomspace(low, high, steps)
    snap = _snapshot(network)
    sweeps = []
    try:
        for s in range(seeds):
            rng = np.random.default_rng(np.random.SeedSequence([seed, s]))
            sweeps.append(sweep(network, x, t, opt, lrs, batch_size, rng, beta, diverge))
            _restore(network, snap)
    finally:
        _restore(network, snap)
    return _suggest(sweeps)


def _suggest(sweeps) -> LRFind:
    ends = np.array([s.interval for s in sweeps])
    lo, hi = float(np.min(ends[:, 0])), float(np.max(ends[:, 1]))
    middles = np.sqrt(ends[:, 0] * ends[:, 1])
    spread = float(np.log10(middles.max() / middles.min()))
    return LRFind(sweeps, (lo, hi), float(math.sqrt(lo * hi)), spread)
