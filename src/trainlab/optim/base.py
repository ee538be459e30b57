"""The contract every update rule keeps: ``optimizer.update(params, grads)`` on dicts of arrays.

A rule subclasses :class:`Optimizer` and writes its equation once, in
:meth:`Optimizer._apply`, on plain NumPy arrays, in the notes' own form
(``m += (1 - beta1) * (g - m)``). The base class does the rest:

* checks that ``params`` and ``grads`` have the same keys and shapes;
* applies the non-finite gradient policy (raise, or skip the step);
* applies ``maximize`` and coupled weight decay as gradient transforms
  (:mod:`trainlab.optim.transforms`), and decoupled weight decay on the weights;
* keeps per-parameter state (``self.state[key]``) and the step count ``self.t``;
* saves and restores all of it (:meth:`state_dict`, :meth:`load_state_dict`).

How the update goes fast (one pass over a shared buffer, fused kernels,
remembered checks) is :mod:`trainlab.optim.engine`'s business, not the rule's:
``update`` → ``engine.update_flat`` → ``_apply`` (or the rule's fused kernel).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import engine
from trainlab.optim.transforms import Transform, add_decayed_weights, chain, negate
from trainlab.validate import check_positive

#: a rule's fused kernel: ``kernel(p, g, s)`` on the flat buffers, in place
Kernel = engine.Kernel


class Optimizer:
    """Base class. Subclasses set ``state_names`` and implement ``_apply``.

    Parameters common to every rule:
        lr: learning rate (> 0). Read afresh at every step, so it may be changed
            between steps (``opt.lr = ...``), e.g. by a schedule.
        weight_decay: 0 disables it. By default it is the coupled L2 penalty,
            added to the gradient before the rule sees it:
            ``g <- g + weight_decay * p`` (the gradient of
            ``weight_decay / 2 * ||p||^2``).
        decoupled_weight_decay: if True, decay the weights directly instead,
            ``p <- p * (1 - lr * weight_decay)`` before the rule's step, outside
            the gradient statistics (Loshchilov & Hutter; PyTorch's AdamW).
        maximize: if True, climb the objective (the gradient is negated first).
        nonfinite: what to do when a gradient holds NaN or inf: ``'raise'``
            (default; raises :class:`trainlab.errors.DivergenceError`, a
            ``FloatingPointError``, and leaves parameters and state untouched) or
            ``'skip'`` (the step is skipped, nothing changes, and it is counted
            in ``self.skipped``).
    """

    #: names of the per-parameter state arrays, each initialised to zeros
    state_names: tuple[str, ...] = ()
    #: True when the rule treats every element independently, so the one-pass
    #: path may process the buffer in chunks with bit-identical results
    elementwise: bool = True
    #: True when the rule reads each parameter in its own shape (a matrix as a
    #: matrix: Muon, Adafactor, SOAP, LAMB's per-parameter norms); the one-pass
    #: path then hands it one parameter at a time
    per_parameter: bool = False
    lr_vs_adamw: float = 1.0  # typical lr / AdamW's (benchmarks/bench_relative_lr.py)
    #: attributes that change while training (not hyperparameters)
    _runtime: tuple[str, ...] = ("t", "skipped")
    #: options a subclass sets itself (not accepted from the caller)
    _fixed: tuple[str, ...] = ()
    #: whether :meth:`_kernel` may stand for :meth:`_apply` (set per class)
    _kernel_ok: bool = True

    def __init__(
        self,
        lr: float,
        *,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        maximize: bool = False,
        nonfinite: str = "raise",
    ) -> None:
        self.lr = check_positive("lr", lr)
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)
        self.maximize = bool(maximize)
        if nonfinite not in ("raise", "skip"):
            raise ConfigError(f"nonfinite must be 'raise' or 'skip', got {nonfinite!r}")
        self.nonfinite = nonfinite
        self.t = 0
        self.skipped = 0
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._flat_state: dict[str, np.ndarray] | None = None
        self._layout: tuple[tuple[str, tuple[int, ...]], ...] | None = None
        self._segments: list[tuple[int, int]] | None = None
        self._plan: engine.Plan | None = None
        # the gradient transforms this rule's options ask for, in PyTorch's order
        steps: list[Transform] = ([negate()] if self.maximize else []) + (
            [add_decayed_weights(self.weight_decay)]
            if self.weight_decay and not self.decoupled_weight_decay
            else []
        )
        self._grad_transform = chain(*steps) if steps else None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        # a kernel stands for the _apply written beside it: a subclass that
        # rewrites _apply but not _kernel keeps its own code
        cls._kernel_ok = _owner(cls, "_kernel") is _owner(cls, "_apply")

    # -- the rule ---------------------------------------------------------------
    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        """Update ``p`` in place from gradient ``g`` and state ``s`` (same shapes).

        ``g`` must not be written to (it may be the caller's array)."""
        raise NotImplementedError

    def _kernel(self) -> Kernel | None:
        """The rule's fused kernel for its current options, or None.

        A function ``fn(p, g, s)`` that does what :meth:`_apply` does, bit for
        bit, on the whole flat buffers (``g`` already holds ``maximize`` and
        coupled weight decay); the one-pass path then calls it once instead of
        looping over chunks."""
        return None

    def _begin_step(self) -> None:
        """Hook run once per step, after ``self.t`` is incremented (scalars)."""

    def _end_step(self) -> None:
        """Hook run once per step, after every parameter was updated."""

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {name: np.zeros_like(p) for name in self.state_names}

    # -- the interface ----------------------------------------------------------
    def update(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> None:
        """Update every array in ``params`` in place, using ``grads``."""
        plan = engine.plan_for(self, params, grads)
        if not engine.all_finite(grads, plan):
            if self.nonfinite == "raise":
                bad = [k for k in plan.keys if not np.all(np.isfinite(grads[k]))]
                raise DivergenceError(
                    f"non-finite gradient in {', '.join(bad)} at step {self.t + 1}; "
                    "lower the learning rate or use nonfinite='skip'"
                )
            self.skipped += 1
            return
        self.t += 1
        self._begin_step()
        if not engine.update_flat(self, params, plan):  # one pass when it can
            for k in plan.keys:
                p, g = params[k], np.asarray(grads[k])
                s = self._state_for(k, p)
                if p.ndim == 0:  # 0-d arrays: work on 1-element views so `-=` works
                    p, g, s = (
                        p.reshape(1),
                        np.reshape(g, 1),
                        {n: a.reshape(1) for n, a in s.items()},
                    )
                self._apply(p, self._prepare(p, g), s)
        self._end_step()

    def _prepare(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient the rule sees (``maximize``, coupled decay); decoupled
        decay shrinks ``p`` here."""
        if self._grad_transform is not None:
            (g,) = self._grad_transform([g], [p])
        if self.weight_decay and self.decoupled_weight_decay:
            p *= 1.0 - self.lr * self.weight_decay
        return g

    # -- validation -------------------------------------------------------------
    @staticmethod
    def _check(params: dict[str, Any], grads: dict[str, Any]) -> list[str]:
        if set(params) != set(grads):
            missing = sorted(set(params) - set(grads))
            extra = sorted(set(grads) - set(params))
            parts = []
            if missing:
                parts.append(f"no gradient for {', '.join(missing)}")
            if extra:
                parts.append(f"gradient for unknown parameter {', '.join(extra)}")
            raise ConfigError("params and grads keys differ: " + "; ".join(parts))
        for k in params:
            p, g = params[k], grads[k]
            if not isinstance(p, np.ndarray):
                raise ConfigError(
                    f"params[{k!r}] must be a numpy array to update in place, "
                    f"got {type(p).__name__}"
                )
            if np.shape(g) != p.shape:
                raise ConfigError(
                    f"grads[{k!r}] has shape {np.shape(g)}, params[{k!r}] has shape {p.shape}"
                )
        return list(params)

    # -- state ------------------------------------------------------------------
    def _state_for(self, key: str, p: np.ndarray) -> dict[str, np.ndarray]:
        s = self.state.get(key)
        if s is None:
            s = self.state[key] = self._init_state(p)
        return s

    # -- persistence -------------------------------------------------------------
    def hyperparameters(self) -> dict[str, Any]:
        """The scalar settings of this rule (what ``__init__`` took)."""
        return {
            k: v
            for k, v in vars(self).items()
            if not k.startswith("_")
            and isinstance(v, (int, float, str, bool))
            and k not in self._runtime
        }

    def state_dict(self) -> dict[str, np.ndarray]:
        """Flat dict of numeric arrays, ready for ``np.savez`` (no pickle).

        Keys: ``t``, ``skipped``, ``lr`` (the current rate, which a schedule may
        have changed), ``state/<param>/<name>`` for the per-parameter arrays and
        ``extra/<name>`` for a rule's scalar state."""
        out: dict[str, np.ndarray] = {
            "t": np.array(self.t),
            "skipped": np.array(self.skipped),
            "lr": np.array(self.lr),
        }
        for k, s in self.state.items():
            for name, arr in s.items():
                out[f"state/{k}/{name}"] = np.array(arr)
        for k, v in self._extra_state().items():
            out[f"extra/{k}"] = np.asarray(v)
        return out

    def load_state_dict(self, sd: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` returned (copies into existing buffers)."""
        self.t = int(sd["t"])
        self.skipped = int(sd.get("skipped", 0))
        if "lr" in sd:
            self.lr = float(sd["lr"])
        for key, arr in sd.items():
            if key.startswith("state/"):
                _, k, name = key.split("/", 2)
                s = self.state.setdefault(k, {})
                if name in s:
                    if s[name].shape != arr.shape:
                        raise ConfigError(
                            f"state {k}/{name} has shape {arr.shape}, expected {s[name].shape}"
                        )
                    s[name][...] = arr
                else:
                    s[name] = np.array(arr)
        self._load_extra_state({k[6:]: v for k, v in sd.items() if k.startswith("extra/")})

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({hp})"


def _owner(cls: type, name: str) -> type:
    """The class in ``cls``'s MRO that defines ``name``."""
    return next(c for c in cls.__mro__ if name in vars(c))
