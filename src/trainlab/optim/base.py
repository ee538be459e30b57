"""The contract every update rule keeps: ``optimizer.update(params, grads)`` on dicts of arrays.

A rule subclasses :class:`Optimizer` and writes its equation once, in
:meth:`Optimizer._apply`, on plain NumPy arrays, in the notes' own form
(``m += (1 - beta1) * (g - m)``). The base class does the rest:

* checks that ``params`` and ``grads`` have the same keys and shapes;
* applies the non-finite gradient policy (raise, or skip the step);
* runs the rule's chain of gradient transformations (:mod:`.transforms`):
  first those it is given (:meth:`Optimizer.with_transforms`: clipping, noise,
  the gradient-norm stop), then those its options ask for (``maximize``,
  coupled or decoupled weight decay), then its own step;
* keeps per-parameter state (``self.state[key]``) and the step count ``self.t``;
* saves and restores all of it, the transformations' state included
  (:meth:`state_dict`, :meth:`load_state_dict`).

How the update goes fast (one pass over a shared buffer, fused kernels,
remembered checks) is :mod:`trainlab.optim.engine`'s business, not the rule's:
``update`` → ``engine.update_flat`` → ``_apply`` (or the rule's fused kernel).

The rule's options run after the finiteness check, beside the step (chunk by
chunk on the one-pass path, where they stay in cache); the transformations it
is given run on the whole gradient before the check, as clipping and the norm
stop must.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import engine
from trainlab.optim.transformation import StatefulChain, Step, Transformation, chain
from trainlab.optim.transforms import add_decayed_weights, decay_weights, negate
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
    #: True when the rule reads each parameter in its own shape (Muon, Adafactor,
    #: SOAP, LAMB): the one-pass path then hands it one parameter at a time
    per_parameter: bool = False
    lr_vs_adamw: float = 1.0  # typical lr / AdamW's (benchmarks/bench_relative_lr.py)
    #: attributes that change while training (not hyperparameters)
    _runtime: tuple[str, ...] = ("t", "skipped", "measured_norm")
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
        #: what the one-pass engine keeps for this rule (:class:`engine.Flat`)
        self.flat = engine.Flat()
        #: the gradient norm measured in the last step (clipping, the norm stop), or None
        self.measured_norm: float | None = None
        self._given = StatefulChain()  # the transformations given (with_transforms)
        own: list[Transformation] = [negate()] if self.maximize else []  # PyTorch's order
        if self.weight_decay:
            decay = decay_weights if self.decoupled_weight_decay else add_decayed_weights
            own.append(decay(self.weight_decay))
        self._own = chain(*own)  # the transformations the options ask for
        self._own_state = self._own.init([])  # (they keep none)
        self._under_way = Step(self.lr)

    # -- the chain ----------------------------------------------------------------
    @property
    def transforms(self) -> tuple[Transformation, ...]:
        """The transformations given to this rule, which run in this order on the
        whole gradient before the finiteness check, the rule's options and its step."""
        return self._given.parts

    @transforms.setter
    def transforms(self, parts: tuple[Transformation, ...]) -> None:
        self._given = StatefulChain(tuple(parts), keep=self._given)

    def with_transforms(self, *parts: Transformation) -> Optimizer:
        """Add ``parts`` to the end of the given transformations; returns this rule,
        so that ``create('adam').with_transforms(clip_by_norm(1.0))`` reads as one.

        >>> from trainlab.optim import create
        >>> from trainlab.optim.transforms import clip_by_norm
        >>> create("sgd", lr=0.1).with_transforms(clip_by_norm(1.0)).transforms[0].max_norm
        1.0
        """
        self.transforms = (*self.transforms, *parts)
        return self

    @property
    def measures_norm(self) -> bool:
        """Whether a transformation of the chain measures the gradient norm."""
        return any(part.measures for part in self.transforms)

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

    # -- what the engine calls (engine.Rule) -----------------------------------------
    def fresh_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        """The state of a parameter (or of the flat buffer) before its first step."""
        return self._init_state(p)

    def apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        """The rule's options (``maximize``, weight decay), then its step, on ``p``
        in place: one parameter, a chunk of the flat buffer or all of it."""
        self._apply(p, self._prepare(p, g), s)

    def fused(self) -> Kernel | None:
        """:meth:`apply` as one fused kernel on the flat buffers, or None when the
        rule has none for its options (or a subclass rewrote its step)."""
        kernel = self._kernel() if self._kernel_ok else None
        if kernel is None:
            return None
        return lambda p, g, s: kernel(p, self._prepare(p, g), s)

    # -- the interface ----------------------------------------------------------
    def update(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> None:
        """Update every array in ``params`` in place, using ``grads``."""
        plan = engine.plan_for(self, params, grads)
        g = self._transform(plan)
        if g is None:  # skipped
            return
        self.t += 1
        self._begin_step()
        self._update_all(plan, g)
        self._end_step()

    def _transform(self, plan: engine.Plan) -> list[np.ndarray] | None:
        """The given transformations on the whole gradient, then the finiteness
        check: the gradient to step with, or None when the step is skipped."""
        self._under_way = step = Step(self.lr, self.t)
        try:
            g = self._given.update(engine.gradients(plan), engine.parameters(plan), step)
        finally:
            self.measured_norm = step.norm
        if engine.all_finite(g):
            return g
        if self.nonfinite == "raise":
            views = zip(plan.keys, engine.split(plan, g), strict=True)
            bad = [k for k, a in views if not np.isfinite(a).all()]
            raise DivergenceError(
                f"non-finite gradient in {', '.join(bad)} at step {self.t + 1}; "
                "lower the learning rate or use nonfinite='skip'"
            )
        self.skipped += 1
        return None

    def _update_all(self, plan: engine.Plan, g: list[np.ndarray]) -> None:
        """The rule's options and step on every parameter: in one pass when it can."""
        if not engine.update_flat(self, plan, g):
            engine.update_each(self, plan, g)

    def _prepare(self, p: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The gradient the rule steps with: ``g`` through the transformations of the
        rule's options (``maximize``, weight decay; decoupled decay shrinks ``p``)."""
        if not self._own.parts:
            return g
        (g,) = self._own.update([g], self._own_state, [p], self._under_way)
        return g

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
        ``extra/<name>`` for a rule's scalar state, and ``<transformation>/...`` for
        the state of the transformations it was given (``noise/rng/...``)."""
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
        return {**out, **self._given.state_dict()}

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
        self._given.load_state_dict(sd)

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        name, settings = type(self).__name__, self.hyperparameters()
        for part in self.transforms:
            name, settings = part.describe(name, settings)
        return f"{name}({', '.join(f'{k}={v!r}' for k, v in settings.items())})"


def _owner(cls: type, name: str) -> type:
    """The class in ``cls``'s MRO that defines ``name``."""
    return next(c for c in cls.__mro__ if name in vars(c))
