"""The situations a learner's update rule is put through, each with trainlab's answer.

A :class:`Scenario` is a list of :class:`Step` inputs: the parameters before the
step, the gradients, and the order (and presence) of the keys in the two dicts.
The inputs come from trainlab's own rule running freely; a learner's rule is
then asked for every step from exactly those inputs (see :mod:`.replay`), so a
difference at step k is a difference of one step, not a drift that piled up.

* ``bowl``: the notes' figure, x²/20 + y², 30 steps from (-7, 2);
* ``arrays``: a 0-d, a 1-d, a 2-d and a 3-d array, gradients of very different
  sizes drawn from a seeded ``numpy.random.Generator``;
* ``order``: the same kind of dict, but from the second call on the gradients
  come in another order than the parameters, the parameters dict is a new one
  in yet another order, and now and then one key is left out (a frozen layer);
* ``network``: a small :class:`trainlab.nn.MultiLayerNet` trained on digits,
  its ``params`` dict passed at every call, as the book's training loop does;
* ``lr change``: like ``arrays``, with ``lr`` set to a tenth of itself after
  step 10 (what a schedule does). It explains, it never fails a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.landscape import get_function
from trainlab.train.build import Extras, Streams, build
from trainlab.train.spec import DataSpec, NetworkSpec, OutputSpec, RunSpec

SEED = 20240614
BOWL_STEPS, ARRAY_STEPS, ORDER_STEPS, NET_STEPS, LR_STEPS = 30, 60, 40, 300, 20
LR_CHANGE_AT = 11  # first step that runs with the lowered lr


@dataclass
class Step:
    params_order: tuple[str, ...]  # the params dict's keys, in order
    grads_order: tuple[str, ...]  # the grads dict's keys, in order
    before: dict[str, np.ndarray]  # parameters before the step
    grads: dict[str, np.ndarray]
    lr: float | None = None  # set on the rule before this step
    what: str = ""  # what is new at this step, if anything


@dataclass
class Scenario:
    name: str
    title: str
    steps: list[Step]
    reference: list[dict[str, np.ndarray]]  # trainlab's parameters after each step
    same_dict: bool = False  # one params dict for every call
    lr: float | None = None  # lr the rule is built with here
    explains_only: bool = False  # never fails a rule, only explains


def _array(x) -> np.ndarray:
    return np.array(x, dtype=np.float64)


def _run(rule, params_of, grads_of, n, orders=None, lrs=None, same_dict=None):
    """Run trainlab's ``rule`` freely for ``n`` steps, recording every input."""
    arrays = params_of()
    steps, reference = [], []
    for k in range(n):
        porder, gorder, what = orders(k) if orders else (tuple(arrays),) * 2 + ("",)
        grads_all = grads_of(k, arrays)
        lr = lrs(k) if lrs else None
        before = {key: arrays[key].copy() for key in porder}
        grads = {key: _array(grads_all[key]) for key in gorder}
        if lr is not None:
            rule.lr = lr
        params = same_dict if same_dict is not None else {key: arrays[key] for key in porder}
        rule.update(params, {key: grads[key].copy() for key in gorder})
        steps.append(Step(porder, gorder, before, grads, lr, what))
        reference.append({key: arrays[key].copy() for key in porder})
    return steps, reference


def bowl(rule, lr: float | None) -> Scenario:
    f = get_function("bowl")
    x0, y0 = f.start

    def grads_of(k, a):
        gx, gy = f.grad(a["x"], a["y"])
        return {"x": gx, "y": gy}

    steps, ref = _run(rule, lambda: {"x": _array(x0), "y": _array(y0)}, grads_of, BOWL_STEPS)
    lr_text = f", lr={lr:g} (the notes' figure)" if lr is not None else ""
    return Scenario(
        "bowl", f"x²/20 + y² from ({x0:g}, {y0:g}), {BOWL_STEPS} steps{lr_text}", steps, ref, lr=lr
    )


SHAPES = {"W": (4, 3), "b": (3,), "s": (), "k": (2, 3, 2), "g": (1,)}
SCALES = {"W": 1.0, "b": 1e-3, "s": 10.0, "k": 1e-6, "g": 0.1}


def _random_dict(seed):
    rng = np.random.default_rng(seed)
    start = {k: rng.standard_normal(shape) for k, shape in SHAPES.items()}
    size = sum(int(np.prod(shape, dtype=int)) for shape in SHAPES.values())
    draws = rng.standard_normal((max(ARRAY_STEPS, ORDER_STEPS, LR_STEPS), size))
    return start, draws


def _grads_from(draws):
    def grads_of(k, a):
        out, off = {}, 0
        for key, shape in SHAPES.items():
            n = int(np.prod(shape, dtype=int))
            out[key] = draws[k, off : off + n].reshape(shape) * SCALES[key]
            off += n
        return out

    return grads_of


def arrays(rule) -> Scenario:
    start, draws = _random_dict(SEED)
    steps, ref = _run(
        rule, lambda: {k: v.copy() for k, v in start.items()}, _grads_from(draws), ARRAY_STEPS
    )
    return Scenario(
        "arrays",
        f"{len(SHAPES)} arrays, 0-d to 3-d, random gradients 1e-6 to 10, {ARRAY_STEPS} steps",
        steps,
        ref,
    )


def _orders(k):
    """Steps 2-5: grads in reverse order; from step 6: params in a new order at
    every call; from step 10, every fourth call leaves one key out of both."""
    keys = tuple(SHAPES)
    if k == 0:
        return keys, keys, ""
    if k < 5:
        return keys, keys[::-1], "the grads dict in another order than params"
    rng = np.random.default_rng([SEED, k])
    porder = tuple(str(key) for key in rng.permutation(keys))
    gorder = porder[::-1]
    what = "the params dict in a new order"
    if k >= 9 and k % 4 == 1:
        left_out = keys[(k // 4) % len(keys)]
        porder = tuple(key for key in porder if key != left_out)
        gorder = tuple(key for key in gorder if key != left_out)
        what = f"the key {left_out!r} left out of both dicts"
    return porder, gorder, what


def order(rule) -> Scenario:
    start, draws = _random_dict(SEED + 1)
    steps, ref = _run(
        rule,
        lambda: {k: v.copy() for k, v in start.items()},
        _grads_from(draws),
        ORDER_STEPS,
        orders=_orders,
    )
    return Scenario(
        "order",
        f"dict orders changing, a key left out now and then, {ORDER_STEPS} steps",
        steps,
        ref,
    )


def network(rule) -> Scenario:
    spec = RunSpec(
        data=DataSpec("digits", val_ratio=0.0),
        network=NetworkSpec(hidden=(16,), dtype="float64"),
        output=OutputSpec(quiet=True),
    )
    streams = Streams(weights=np.random.default_rng(SEED))
    trainer = build(spec, streams=streams, extras=Extras()).trainer  # its data and network;
    net, x, t = trainer.network, trainer.data.x_train, trainer.data.t_train  # `rule` steps
    batches = np.random.default_rng(SEED + 2).integers(0, len(x), size=(NET_STEPS, 32))
    arrays_ = dict(net.params)

    def grads_of(k, a):
        return net.gradient(x[batches[k]], t[batches[k]])

    steps, ref = _run(rule, lambda: arrays_, grads_of, NET_STEPS, same_dict=net.params)
    return Scenario(
        "network",
        f"MultiLayerNet 64-16-10 on digits, {NET_STEPS} batches of 32",
        steps,
        ref,
        same_dict=True,
    )


def lr_change(rule) -> Scenario:
    start, draws = _random_dict(SEED + 3)
    lr0 = float(rule.lr)
    steps, ref = _run(
        rule,
        lambda: {k: v.copy() for k, v in start.items()},
        _grads_from(draws),
        LR_STEPS,
        lrs=lambda k: lr0 / 10 if k + 1 == LR_CHANGE_AT else None,
    )
    steps[LR_CHANGE_AT - 1].what = f"lr lowered from {lr0:g} to {lr0 / 10:g}"
    return Scenario(
        "lr change",
        f"lr cut to a tenth at step {LR_CHANGE_AT}, {LR_STEPS} steps (explains, never fails)",
        steps,
        ref,
        explains_only=True,
    )


def all_scenarios(make_reference, bowl_lr: float | None) -> list[Scenario]:
    """Every scenario, each from a fresh trainlab rule ``make_reference(lr=None)``."""
    return [
        bowl(make_reference(lr=bowl_lr), bowl_lr),
        arrays(make_reference()),
        order(make_reference()),
        network(make_reference()),
        lr_change(make_reference()),
    ]
