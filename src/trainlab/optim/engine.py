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
  and the parameter bounds in ``opt._segments``;
* **one finiteness check** over the gradient buffer (:func:`all_finite`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from trainlab import kernels

CHUNK = 1 << 15  # elements per chunk on the one-pass path (fits in L2 cache)
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


class Optimizer(Protocol):
    """What the engine reads and keeps on a :class:`trainlab.optim.base.Optimizer`."""

    elementwise: bool
    per_parameter: bool
    state: dict[str, dict[str, np.ndarray]]
    _kernel_ok: bool
    _plan: Plan | None
    _flat_state: dict[str, np.ndarray] | None
    _layout: tuple[tuple[str, tuple[int, ...]], ...] | None
    _segments: list[tuple[int, int]] | None

    def _check(self, params: dict[str, Any], grads: dict[str, Any]) -> list[str]: ...
    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]: ...
    def _prepare(self, p: np.ndarray, g: np.ndarray) -> np.ndarray: ...
    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None: ...
    def _kernel(self) -> Kernel | None: ...


def plan_for(opt: Optimizer, params: dict[str, np.ndarray], grads: dict[str, Any]) -> Plan:
    """The checked keys and flat buffers for ``opt``; reused while nothing changed."""
    plan = opt._plan
    if plan is not None and plan.still_holds(params, grads):
        return plan
    plan = Plan(params, grads, opt._check(params, grads))
    pbuf = covering_buffer([params[k] for k in plan.keys])
    gbuf = None if pbuf is None else covering_buffer([np.asarray(grads[k]) for k in plan.keys])
    if gbuf is not None and pbuf is not None and gbuf.dtype == pbuf.dtype:
        plan.pbuf, plan.gbuf = pbuf, gbuf
        plan.layout = tuple((k, params[k].shape) for k in plan.keys)
    if all(isinstance(g, np.ndarray) for g in grads.values()):
        opt._plan = plan  # the arrays it holds keep their ids from being reused
    return plan


def all_finite(grads: dict[str, Any], plan: Plan) -> bool:
    """True when no gradient holds NaN or inf."""
    if plan.gbuf is not None and plan.gbuf.dtype in KERNEL_DTYPES:
        return kernels.all_finite(plan.gbuf)  # one pass over the whole buffer
    # one summed pass per array: NaN or inf anywhere makes the sum non-finite;
    # a sum that overflowed is confirmed element by element
    with np.errstate(over="ignore", invalid="ignore"):
        return all(
            np.isfinite(np.sum(grads[k], dtype=np.float64)) or np.isfinite(grads[k]).all()
            for k in plan.keys
        )


def update_flat(opt: Optimizer, params: dict[str, np.ndarray], plan: Plan) -> bool:
    """Update the whole parameter buffer in one pass; False if it cannot be done."""
    if opt.per_parameter or plan.pbuf is None or plan.gbuf is None:
        return False
    if not _flat_state_ready(opt, params, plan):
        return False
    p, g, s = plan.pbuf, plan.gbuf, opt._flat_state
    assert s is not None and opt._layout is not None  # laid out by _flat_state_ready
    if not opt.elementwise:
        # one call on the whole buffer; the rule reduces per parameter over
        # opt._segments so that sums match the per-array path bit for bit
        sizes = [int(np.prod(shape, dtype=np.int64)) for _, shape in opt._layout]
        ends = np.cumsum([0, *sizes]).tolist()
        opt._segments = list(zip(ends[:-1], ends[1:], strict=False))
        try:
            opt._apply(p, opt._prepare(p, g), s)
        finally:
            opt._segments = None
        return True
    kernel = opt._kernel() if opt._kernel_ok and p.dtype in KERNEL_DTYPES else None
    if kernel is not None:
        kernel(p, opt._prepare(p, g), s)
        return True
    for lo in range(0, p.size, CHUNK):
        c = slice(lo, lo + CHUNK)
        opt._apply(p[c], opt._prepare(p[c], g[c]), {k: v[c] for k, v in s.items()})
    return True


def _flat_state_ready(opt: Optimizer, params: dict[str, np.ndarray], plan: Plan) -> bool:
    """Lay the state out flat like the parameters (once); False if it cannot be."""
    if opt._flat_state is not None:
        return plan.layout == opt._layout
    if opt.state and not all(k in opt.state for k in plan.keys):
        return False  # state was built for other arrays: stay per array
    assert plan.pbuf is not None  # update_flat's first check
    flat = opt._init_state(plan.pbuf)
    off = 0
    for k in plan.keys:
        n, shape = params[k].size, params[k].shape
        old = opt.state.get(k, {})
        opt.state[k] = {}
        for name, arr in flat.items():
            view = arr[off : off + n].reshape(shape)
            if name in old:  # e.g. restored by load_state_dict
                view[...] = old[name]
            opt.state[k][name] = view
        off += n
    opt._flat_state, opt._layout = flat, plan.layout
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
