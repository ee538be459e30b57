"""The one-pass engine: how :meth:`Optimizer.update` goes fast, kept apart from the rules.

Nothing here changes what a rule computes; it changes how often Python runs:

* **the plan**: while the same ``params`` and ``grads`` dicts hold the same
  arrays (same objects, shapes and dtypes), the key and shape checks and the
  search for a shared buffer are done once and remembered (:func:`plan_for`);
* **one buffer**: when every parameter is a view into one contiguous buffer
  (as :class:`trainlab.nn.MultiLayerNet` provides) and so is every gradient,
  the whole buffer is updated at once (:func:`update_flat`): with the rule's
  fused kernel (:mod:`trainlab.kernels`) where it has one for its options,
  otherwise by the rule's own NumPy code chunk by chunk, so that the
  temporaries stay small and in cache. Element-wise rules give the same bits
  either way; rules that reduce over a parameter (SWATS) get the whole buffer
  and the parameter bounds in ``rule.flat.segments``;
* **one finiteness check** over the gradient buffer (:func:`all_finite`).

The engine talks to a rule through public names only (:class:`Rule`), and
keeps what it remembers for a rule in the rule's :class:`Flat`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from trainlab import kernels
from trainlab.errors import ConfigError

CHUNK = kernels.CHUNK  # elements per chunk on the one-pass path (fits in L2 cache)
KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # what the kernels take


#: a rule's fused kernel: ``kernel(p, g, s)`` on the flat buffers, in place
Kernel = Callable[[np.ndarray, np.ndarray, dict[str, np.ndarray]], None]


class Plan:
    """What :meth:`Optimizer.update` checked for one ``(params, grads)`` pair."""

    __slots__ = ("params", "grads", "keys", "gkeys", "ids", "arrays", "pbuf", "gbuf", "layout")

    def __init__(self, params: dict[str, np.ndarray], grads: dict[str, Any], keys: list[str]):
        self.params, self.grads, self.keys, self.gkeys = params, grads, tuple(keys), tuple(grads)
        values = [*params.values(), *grads.values()]
        self.ids = tuple(map(id, values))
        self.arrays = [(a, np.shape(a), getattr(a, "dtype", None)) for a in values]
        self.pbuf: np.ndarray | None = None
        self.gbuf: np.ndarray | None = None
        self.layout: tuple[tuple[str, tuple[int, ...]], ...] | None = None

    def still_holds(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> bool:
        return (
            self.params is params
            and self.grads is grads
            and self.ids == (*map(id, params.values()), *map(id, grads.values()))
            and self.keys == tuple(params)
            and self.gkeys == tuple(grads)
            and all(a.shape == shape and a.dtype == dtype for a, shape, dtype in self.arrays)
        )


class Flat:
    """What the engine keeps for one rule (``rule.flat``): the last :class:`Plan`,
    the rule's state laid out flat like the parameters (``state``, with its
    ``layout``), and, while a rule that is not element-wise steps on the whole
    buffer, the ``(start, end)`` of each parameter in it (``segments``, else None)."""

    __slots__ = ("plan", "state", "layout", "segments")

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.state: dict[str, np.ndarray] | None = None
        self.layout: tuple[tuple[str, tuple[int, ...]], ...] | None = None
        self.segments: list[tuple[int, int]] | None = None


class Rule(Protocol):
    """What the engine reads on a rule (:class:`trainlab.optim.base.Optimizer`)."""

    elementwise: bool
    per_parameter: bool
    state: dict[str, dict[str, np.ndarray]]
    flat: Flat

    def fresh_state(self, p: np.ndarray) -> dict[str, np.ndarray]: ...
    def apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None: ...
    def fused(self) -> Kernel | None: ...


def check(params: dict[str, Any], grads: dict[str, Any]) -> list[str]:
    """The keys of ``params``, once they are checked against ``grads`` (the same
    keys, arrays to update in place, the same shapes)."""
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
                f"params[{k!r}] must be a numpy array to update in place, got {type(p).__name__}"
            )
        if np.shape(g) != p.shape:
            raise ConfigError(
                f"grads[{k!r}] has shape {np.shape(g)}, params[{k!r}] has shape {p.shape}"
            )
    return list(params)


def plan_for(rule: Rule, params: dict[str, np.ndarray], grads: dict[str, Any]) -> Plan:
    """The checked keys and flat buffers for ``rule``; reused while nothing changed."""
    plan = rule.flat.plan
    if plan is not None and plan.still_holds(params, grads):
        return plan
    plan = Plan(params, grads, check(params, grads))
    pbuf = covering_buffer([params[k] for k in plan.keys])
    gbuf = None if pbuf is None else covering_buffer([np.asarray(grads[k]) for k in plan.keys])
    if gbuf is not None and pbuf is not None and gbuf.dtype == pbuf.dtype:
        plan.pbuf, plan.gbuf = pbuf, gbuf
        plan.layout = tuple((k, params[k].shape) for k in plan.keys)
    if all(isinstance(g, np.ndarray) for g in grads.values()):
        rule.flat.plan = plan  # the arrays it holds keep their ids from being reused
    return plan


def gradients(plan: Plan) -> list[np.ndarray]:
    """The gradient as the transformations see it: the one flat buffer, or one
    array per parameter (in the order of ``plan.keys``)."""
    if plan.gbuf is not None:
        return [plan.gbuf]
    return [np.asarray(plan.grads[k]) for k in plan.keys]


def parameters(plan: Plan) -> list[np.ndarray]:
    """The parameters laid out as :func:`gradients` lays out the gradient."""
    if plan.pbuf is not None:
        return [plan.pbuf]
    return [plan.params[k] for k in plan.keys]


def split(plan: Plan, g: list[np.ndarray]) -> list[np.ndarray]:
    """One gradient per parameter (views of the flat buffer, when it is one)."""
    if plan.gbuf is None:
        return g
    out, off = [], 0
    for k in plan.keys:
        shape = plan.params[k].shape
        n = int(np.prod(shape, dtype=np.int64))
        out.append(g[0][off : off + n].reshape(shape))
        off += n
    return out


def all_finite(grads: list[np.ndarray]) -> bool:
    """True when no gradient holds NaN or inf."""
    if len(grads) == 1 and grads[0].ndim == 1 and grads[0].dtype in KERNEL_DTYPES:
        return kernels.all_finite(grads[0])  # one pass over the whole buffer
    # one summed pass per array: NaN or inf anywhere makes the sum non-finite;
    # a sum that overflowed is confirmed element by element
    with np.errstate(over="ignore", invalid="ignore"):
        return all(np.isfinite(np.sum(g, dtype=np.float64)) or np.isfinite(g).all() for g in grads)


def update_flat(rule: Rule, plan: Plan, grads: list[np.ndarray]) -> bool:
    """Update the whole parameter buffer in one pass with the flat gradient
    ``grads`` (as :func:`gradients` gave it); False if it cannot be done."""
    if rule.per_parameter or plan.pbuf is None or plan.gbuf is None:
        return False
    if not _flat_state_ready(rule, plan):
        return False
    flat, p, (g,) = rule.flat, plan.pbuf, grads
    assert flat.state is not None and flat.layout is not None  # by _flat_state_ready
    if not rule.elementwise:
        # one call on the whole buffer; the rule reduces per parameter over
        # flat.segments so that sums match the per-array path bit for bit
        sizes = [int(np.prod(shape, dtype=np.int64)) for _, shape in flat.layout]
        ends = np.cumsum([0, *sizes]).tolist()
        flat.segments = list(zip(ends[:-1], ends[1:], strict=False))
        try:
            rule.apply(p, g, flat.state)
        finally:
            flat.segments = None
        return True
    kernel = rule.fused() if p.dtype in KERNEL_DTYPES else None
    if kernel is not None:
        kernel(p, g, flat.state)
        return True
    for lo in range(0, p.size, CHUNK):
        c = slice(lo, lo + CHUNK)
        rule.apply(p[c], g[c], {k: v[c] for k, v in flat.state.items()})
    return True


def update_each(rule: Rule, plan: Plan, grads: list[np.ndarray]) -> None:
    """Update the parameters one by one (each with its own state)."""
    for k, g in zip(plan.keys, split(plan, grads), strict=True):
        p = plan.params[k]
        s = rule.state.get(k)
        if s is None:
            s = rule.state[k] = rule.fresh_state(p)
        if p.ndim == 0:  # 0-d arrays: work on 1-element views so `-=` works
            p, g, s = p.reshape(1), g.reshape(1), {n: a.reshape(1) for n, a in s.items()}
        rule.apply(p, g, s)


def _flat_state_ready(rule: Rule, plan: Plan) -> bool:
    """Lay the state out flat like the parameters (once); False if it cannot be."""
    flat = rule.flat
    if flat.state is not None:
        return plan.layout == flat.layout
    if rule.state and not all(k in rule.state for k in plan.keys):
        return False  # state was built for other arrays: stay per array
    assert plan.pbuf is not None  # update_flat's first check
    state = rule.fresh_state(plan.pbuf)
    off = 0
    for k in plan.keys:
        n, shape = plan.params[k].size, plan.params[k].shape
        old = rule.state.get(k, {})
        rule.state[k] = {}
        for name, arr in state.items():
            view = arr[off : off + n].reshape(shape)
            if name in old:  # e.g. restored by load_state_dict
                view[...] = old[name]
            rule.state[k][name] = view
        off += n
    flat.state, flat.layout = state, plan.layout
    return True


def _address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


def covering_buffer(arrays: list[np.ndarray]) -> np.ndarray | None:
    """Return a 1-D array that is exactly ``arrays`` laid end to end, or None.

    It is the shared base buffer when the arrays are C-contiguous views that
    follow each other in memory with no gap, in the order given, and together
    cover the whole base (so the buffer holds nothing else).
    """
    if not arrays:
        return None
    first = arrays[0]
    base = first.base
    if base is None or not isinstance(base, np.ndarray):
        return None
    while isinstance(base.base, np.ndarray):
        base = base.base
    if base.ndim != 1 or not base.flags.c_contiguous or base.dtype != first.dtype:
        return None
    expected = _address(base)
    for a in arrays:
        if (
            not isinstance(a, np.ndarray)
            or a.dtype != base.dtype
            or not a.flags.c_contiguous
            or _address(a) != expected
        ):
            return None
        root = a.base
        while isinstance(root, np.ndarray) and isinstance(root.base, np.ndarray):
            root = root.base
        if root is not base:
            return None
        expected += a.nbytes
    if expected != _address(base) + base.nbytes:
        return None
    return base
