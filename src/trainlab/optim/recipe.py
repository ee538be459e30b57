"""The call that reproduces a trainlab rule elsewhere: the inverse of
:func:`~trainlab.optim.from_torch` and :func:`~trainlab.optim.from_reference`.

``recipe(create('lion', lr=3e-4))`` gives ``("lion_pytorch.Lion", {"lr": 3e-4})``:
the ``torch.optim`` class or reference package class, and the keywords of the
call, only those that differ from its defaults. Every recipe is checked: the
translation of the call gives back a rule of the same class with the same
hyperparameters, or there is no recipe (``None``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from trainlab.optim.base import Optimizer
from trainlab.optim.pytorch import PAIRS, TORCH_RULES, from_torch
from trainlab.optim.reference import REFERENCE_RULES, from_reference, quarter_power


def pair_of(opt: Any, names: tuple[str, str]) -> tuple[Any, Any]:
    """A torch pair option (Rprop's ``etas``, ...) from trainlab's two options."""
    return getattr(opt, names[0]), getattr(opt, names[1])


#: a call's option that trainlab names otherwise: option -> its value read from the rule
DERIVED: dict[str, Callable[[Any], Any]] = {
    "alpha": lambda opt: opt.decay_rate,  # RMSprop's alpha (ASGD's alpha is its own)
    "eps": lambda opt: (opt.eps1, opt.eps2),  # Adafactor's pair (the others have eps)
    "weight_decouple": lambda opt: opt.decoupled_weight_decay,
    "clip_lambda": lambda opt: quarter_power if opt.clip else None,
    "adam": lambda opt: not opt.trust_ratio,
    **{pair: partial(pair_of, names=names) for pair, names in PAIRS.items()},
}


#: how the name of a call is written: torch's classes live in torch.optim
WHERE = {**{name: f"torch.optim.{name}" for name in TORCH_RULES}, **{n: n for n in REFERENCE_RULES}}


def recipe(opt: Optimizer) -> tuple[str, dict[str, Any]] | None:
    """``(name, keywords)`` such that ``from_torch(name, **keywords)`` (a
    ``torch.optim`` name) or ``from_reference(name, **keywords)`` (a
    ``package.Class``) gives a rule of ``opt``'s class with its hyperparameters;
    ``None`` when no call does."""
    for name, keywords in candidates(opt):
        if reproduces(name, keywords, opt):
            return name, shortest(name, keywords, opt)
    return None


def call_text(name: str, keywords: dict[str, Any], params: str = "model.parameters()") -> str:
    """The call as Python: ``torch.optim.AdamW(model.parameters(), lr=0.003)``."""
    inner = "".join(f", {k}={_shown(v)}" for k, v in keywords.items())
    return f"{WHERE[name]}({params}{inner})"


def translate(name: str, keywords: dict[str, Any]) -> Any:
    """The trainlab rule of the call ``name(**keywords)``."""
    return from_torch(name, **keywords) if name in TORCH_RULES else from_reference(name, **keywords)


def candidates(opt: Optimizer) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each call whose defaults know ``opt``'s options, with all of them filled in
    from ``opt``; then the same call with one option left at its default (a
    reference's flag may mean something else than trainlab's option of that name)."""
    tables = [*TORCH_RULES.items(), *((n, (None, d)) for n, (_, d) in REFERENCE_RULES.items())]
    for name, (cls, defaults) in tables:
        if cls is not None and cls is not type(opt) and not issubclass(type(opt), cls):
            continue
        full = {k: v for k in defaults if (v := option(opt, k, defaults[k])) is not _MISSING}
        yield name, full
        for k in full:
            yield name, {o: v for o, v in full.items() if o != k}


_MISSING = object()


def option(opt: Optimizer, key: str, default: Any) -> Any:
    """The value of the call's option ``key`` for ``opt`` (``_MISSING`` if it has none)."""
    if key == "betas":
        names = ("beta1", "beta2", "beta3")[: len(default)]
        return tuple(getattr(opt, n) for n in names) if hasattr(opt, names[-1]) else _MISSING
    hyper = opt.hyperparameters()
    if key in hyper:
        return hyper[key]
    try:
        return DERIVED[key](opt) if key in DERIVED else _MISSING
    except AttributeError:
        return _MISSING


def reproduces(name: str, keywords: dict[str, Any], opt: Optimizer) -> bool:
    """Whether the call ``name(**keywords)`` gives ``opt``'s class and hyperparameters."""
    try:
        back = translate(name, keywords)
    except Exception:  # a value this call refuses: not a recipe
        return False
    return type(back) is type(opt) and same(back.hyperparameters(), opt.hyperparameters())


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal hyperparameters (floats to 1e-12, ``nonfinite`` aside: trainlab's own)."""
    keys = (set(a) | set(b)) - {"nonfinite"}
    return all(_equal(a.get(k), b.get(k)) for k in keys)


def _equal(x: Any, y: Any) -> bool:
    if isinstance(x, float) and isinstance(y, float):
        return x == y or math.isclose(x, y, rel_tol=1e-12)
    return bool(x == y)


def shortest(name: str, keywords: dict[str, Any], opt: Optimizer) -> dict[str, Any]:
    """``keywords`` less those the call's defaults make unnecessary (``lr`` stays)."""
    out = dict(keywords)
    for k in [k for k in out if k != "lr"]:
        fewer = {o: v for o, v in out.items() if o != k}
        if reproduces(name, fewer, opt):
            out = fewer
    return out


def _shown(v: Any) -> str:
    if v is quarter_power:
        return "(lambda step: step ** 0.25)"
    return repr(v)
