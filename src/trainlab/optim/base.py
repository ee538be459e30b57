"""The optimizer interface: ``optimizer.update(params, grads)`` on dicts of arrays.

Every update rule subclasses :class:`Optimizer` and writes its equation once, in
:meth:`Optimizer._apply`, on plain NumPy arrays. The base class does the rest:

* checks that ``params`` and ``grads`` have the same keys and shapes;
* applies the non-finite gradient policy (raise, or skip the step);
* applies ``maximize`` and weight decay (coupled L2, or decoupled) when asked;
* keeps per-parameter state (``self.state[key]``) and the step count ``self.t``;
* when every parameter is a view into one contiguous buffer (as
  :class:`trainlab.nn.MultiLayerNet` provides), updates the whole buffer in one
  pass: with the rule's fused kernel (:mod:`trainlab.kernels`) where it has one
  for its options, otherwise chunk by chunk so that temporaries stay small and
  in cache (preallocated scratch arrays, reused every step). Element-wise
  rules give bit-identical results either way;
* remembers what it checked: while the same ``params`` and ``grads`` dicts
  hold the same arrays (same objects, shapes and dtypes), later steps skip the
  key and shape checks and the search for the shared buffer.
"""

from __future__ import annotations

import numpy as np

from trainlab import kernels
from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim._flat import covering_buffer

CHUNK = 1 << 15  # elements per chunk on the one-pass path (fits in L2 cache)
KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # what the kernels take


def check_positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    value = float(value)
    ok = value >= 0 if allow_zero else value > 0
    if not np.isfinite(value) or not ok:
        bound = "≥ 0" if allow_zero else "> 0"
        raise ConfigError(f"{name} must be a finite number {bound}, got {value}")
    return value


def check_unit(name: str, value: float) -> float:
    value = float(value)
    if not (0.0 <= value < 1.0):
        raise ConfigError(f"{name} must be in [0, 1), got {value}")
    return value


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
    #: attributes that change while training (not hyperparameters)
    _runtime: tuple[str, ...] = ("t", "skipped")
    #: options a subclass sets itself (not accepted from the caller)
    _fixed: tuple[str, ...] = ()
    #: whether :meth:`_kernel` may stand for :meth:`_apply` (set per class)
    _kernel_ok: bool = True

    def __init__(self, lr: float, *, weight_decay: float = 0.0,
                 decoupled_weight_decay: bool = False, maximize: bool = False,
                 nonfinite: str = "raise"):
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
        self._layout: tuple | None = None
        self._segments: list[tuple[int, int]] | None = None
        self._scratch_bufs: dict = {}
        self._plan: _Plan | None = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        # a kernel stands for the _apply written beside it: a subclass that
        # rewrites _apply but not _kernel keeps its own code
        cls._kernel_ok = _owner(cls, "_kernel") is _owner(cls, "_apply")

    # -- the rule ---------------------------------------------------------------
    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        """Update ``p`` in place from gradient ``g`` and state ``s`` (same shapes).

        ``g`` must not be written to (it may be the caller's array)."""
        raise NotImplementedError

    def _kernel(self):
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

    def _scratch(self, like: np.ndarray, slot=0) -> np.ndarray:
        """An uninitialised array shaped like ``like``, reused from step to step.

        Each ``slot`` is a separate buffer; a rule uses distinct slots for
        temporaries that are alive at the same time. Slot ``'g'`` is the base's."""
        key = (slot, like.dtype)
        buf = self._scratch_bufs.get(key)
        if buf is None or buf.size < like.size:
            buf = self._scratch_bufs[key] = np.empty(like.size, like.dtype)
        return buf[:like.size].reshape(like.shape)

    # -- the interface ----------------------------------------------------------
    def update(self, params: dict, grads: dict) -> None:
        """Update every array in ``params`` in place, using ``grads``."""
        plan = self._plan_for(params, grads)
        keys = plan.keys
        if not self._finite(grads, plan):
            if self.nonfinite == "raise":
                bad = [k for k in keys if not np.all(np.isfinite(grads[k]))]
                raise DivergenceError(
                    f"non-finite gradient in {', '.join(bad)} at step {self.t + 1}; "
                    "lower the learning rate or use nonfinite='skip'")
            self.skipped += 1
            return
        self.t += 1
        self._begin_step()
        if plan.pbuf is not None and self._flat_ready(params, plan):
            self._update_flat(plan.pbuf, plan.gbuf)
        else:
            for k in keys:
                p, g = params[k], np.asarray(grads[k])
                self._apply_checked(p, g, self._state_for(k, p))
        self._end_step()

    def _apply_checked(self, p, g, s):
        if p.ndim == 0:  # 0-d arrays: work on 1-element views so `out=` works
            p, g = p.reshape(1), np.reshape(g, 1)
            s = {k: v.reshape(1) for k, v in s.items()}
        self._apply(p, self._prepare(p, g), s)

    def _prepare(self, p, g):
        """The gradient the rule sees (``maximize``, coupled decay); decoupled
        decay shrinks ``p`` here."""
        if self.maximize or (self.weight_decay and not self.decoupled_weight_decay):
            w = self._scratch(p, "g")
            if self.weight_decay and not self.decoupled_weight_decay:
                np.multiply(p, self.weight_decay, out=w)
                if self.maximize:
                    w -= g
                else:
                    w += g
            else:
                np.negative(g, out=w)
            g = w
        if self.weight_decay and self.decoupled_weight_decay:
            p *= 1.0 - self.lr * self.weight_decay
        return g

    # -- validation -------------------------------------------------------------
    @staticmethod
    def _check(params: dict, grads: dict) -> list[str]:
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
                raise ConfigError(f"params[{k!r}] must be a numpy array to update in place, "
                                  f"got {type(p).__name__}")
            if np.shape(g) != p.shape:
                raise ConfigError(f"grads[{k!r}] has shape {np.shape(g)}, "
                                  f"params[{k!r}] has shape {p.shape}")
        return list(params)

    def _plan_for(self, params: dict, grads: dict) -> _Plan:
        """The checked keys and flat buffers; reused while nothing changed."""
        plan = self._plan
        if (plan is not None and plan.params is params and plan.grads is grads
                and plan.ids == (*map(id, params.values()), *map(id, grads.values()))
                and plan.keys == tuple(params) and plan.gkeys == tuple(grads)
                and all(a.shape == shape and a.dtype == dtype
                        for a, shape, dtype in plan.arrays)):
            return plan
        plan = _Plan(params, grads, self._check(params, grads))
        pair = self._flat_pair(params, grads, plan.keys)
        if pair is not None:
            plan.pbuf, plan.gbuf = pair
            plan.layout = tuple((k, params[k].shape) for k in plan.keys)
        if all(isinstance(g, np.ndarray) for g in grads.values()):
            self._plan = plan  # the arrays it holds keep their ids from being reused
        return plan

    @staticmethod
    def _finite(grads: dict, plan: _Plan) -> bool:
        if plan.gbuf is not None and plan.gbuf.dtype in KERNEL_DTYPES:
            return kernels.all_finite(plan.gbuf)  # one pass over the whole buffer
        # one summed pass per array: NaN or inf anywhere makes the sum non-finite;
        # a sum that overflowed is confirmed element by element
        with np.errstate(over="ignore", invalid="ignore"):
            return all(np.isfinite(np.sum(grads[k], dtype=np.float64))
                       or np.isfinite(grads[k]).all() for k in plan.keys)

    # -- state ------------------------------------------------------------------
    def _state_for(self, key: str, p: np.ndarray) -> dict[str, np.ndarray]:
        s = self.state.get(key)
        if s is None:
            s = self.state[key] = self._init_state(p)
        return s

    # -- one-pass path ----------------------------------------------------------
    @staticmethod
    def _flat_pair(params, grads, keys):
        pbuf = covering_buffer([params[k] for k in keys])
        if pbuf is None:
            return None
        gbuf = covering_buffer([np.asarray(grads[k]) for k in keys])
        if gbuf is None or gbuf.dtype != pbuf.dtype:
            return None
        return pbuf, gbuf

    def _flat_ready(self, params, plan) -> bool:
        """Lay the state out flat like the parameters (once); False if it cannot be."""
        if self._flat_state is not None:
            return plan.layout == self._layout
        if self.state and not all(k in self.state for k in plan.keys):
            return False  # state was built for other arrays: stay per array
        flat = self._init_state(plan.pbuf)
        off = 0
        for k in plan.keys:
            n, shape = params[k].size, params[k].shape
            old = self.state.get(k, {})
            self.state[k] = {}
            for name, arr in flat.items():
                view = arr[off:off + n].reshape(shape)
                if name in old:  # e.g. restored by load_state_dict
                    view[...] = old[name]
                self.state[k][name] = view
            off += n
        self._flat_state, self._layout = flat, plan.layout
        return True

    def _update_flat(self, p: np.ndarray, g: np.ndarray) -> None:
        s = self._flat_state
        if not self.elementwise:
            # one call on the whole buffer; the rule reduces per parameter over
            # self._segments so that sums match the per-array path bit for bit
            bounds, off = [], 0
            for _, shape in self._layout:
                n = int(np.prod(shape, dtype=np.int64))
                bounds.append((off, off + n))
                off += n
            self._segments = bounds
            try:
                self._apply_checked(p, g, s)
            finally:
                self._segments = None
            return
        kernel = self._kernel() if self._kernel_ok and p.dtype in KERNEL_DTYPES else None
        if kernel is not None:
            kernel(p, self._prepare(p, g), s)
            return
        for lo in range(0, p.size, CHUNK):
            hi = lo + CHUNK
            self._apply_checked(p[lo:hi], g[lo:hi], {k: v[lo:hi] for k, v in s.items()})

    # -- persistence -------------------------------------------------------------
    def hyperparameters(self) -> dict:
        """The scalar settings of this rule (what ``__init__`` took)."""
        return {k: v for k, v in vars(self).items()
                if not k.startswith("_") and isinstance(v, (int, float, str, bool))
                and k not in self._runtime}

    def state_dict(self) -> dict[str, np.ndarray]:
        """Flat dict of numeric arrays, ready for ``np.savez`` (no pickle).

        Keys: ``t``, ``skipped``, ``lr`` (the current rate, which a schedule may
        have changed), ``state/<param>/<name>`` for the per-parameter arrays and
        ``extra/<name>`` for a rule's scalar state."""
        out = {"t": np.array(self.t), "skipped": np.array(self.skipped),
               "lr": np.array(self.lr)}
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
                        raise ConfigError(f"state {k}/{name} has shape {arr.shape}, "
                                          f"expected {s[name].shape}")
                    s[name][...] = arr
                else:
                    s[name] = np.array(arr)
        self._load_extra_state({k[6:]: v for k, v in sd.items() if k.startswith("extra/")})

    def _extra_state(self) -> dict:
        return {}

    def _load_extra_state(self, extra: dict) -> None:
        pass

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({hp})"


class _Plan:
    """What :meth:`Optimizer.update` checked for one ``(params, grads)`` pair."""

    __slots__ = ("params", "grads", "keys", "gkeys", "ids", "arrays", "pbuf", "gbuf", "layout")

    def __init__(self, params: dict, grads: dict, keys: list[str]):
        self.params, self.grads, self.keys, self.gkeys = params, grads, tuple(keys), tuple(grads)
        values = [*params.values(), *grads.values()]
        self.ids = tuple(map(id, values))
        self.arrays = [(a, np.shape(a), getattr(a, "dtype", None)) for a in values]
        self.pbuf = self.gbuf = self.layout = None


def _owner(cls: type, name: str) -> type:
    """The class in ``cls``'s MRO that defines ``name``."""
    return next(c for c in cls.__mro__ if name in vars(c))
