"""Update rules: ``opt = create('adam'); opt.update(params, grads)``.

Each rule's ``_apply`` is its equation (``sgd.py``, ``adaptive.py``, ``adam.py``,
``swats.py``); :mod:`.base` is the contract every rule keeps and :mod:`.engine`
the one-pass update that makes it fast. Also: :func:`from_torch` (the rule
matching a ``torch.optim`` class), :mod:`.transforms` (the gradient
transformations a rule chains before its step: weight decay, clipping, noise;
:class:`GradientNoise` is a rule with noise in its chain), :mod:`.partition`
(different rules for different parameters) and :mod:`.schedules`
(learning-rate schedules).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from trainlab.errors import ConfigError
from trainlab.optim.adafactor import Adafactor
from trainlab.optim.adam import Adam, AdamW
from trainlab.optim.adamax import Adamax
from trainlab.optim.adaptive import Adadelta, AdaGrad, RMSprop
from trainlab.optim.ademamix import AdEMAMix
from trainlab.optim.adopt import ADOPT
from trainlab.optim.asgd import ASGD
from trainlab.optim.base import Optimizer
from trainlab.optim.lamb import LAMB
from trainlab.optim.lbfgs import LBFGS
from trainlab.optim.lion import Lion
from trainlab.optim.muon import Muon
from trainlab.optim.muon_adamw import MuonAdamW
from trainlab.optim.nadam import NAdam
from trainlab.optim.noise import GradientNoise
from trainlab.optim.partition import Partition
from trainlab.optim.prodigy import Prodigy
from trainlab.optim.pytorch import from_torch
from trainlab.optim.radam import RAdam
from trainlab.optim.reference import from_reference
from trainlab.optim.rprop import Rprop
from trainlab.optim.schedulefree import ScheduleFreeAdamW, ScheduleFreeSGD
from trainlab.optim.sgd import SGD, Momentum, Nesterov
from trainlab.optim.soap import SOAP
from trainlab.optim.swats import SWATS


class AMSGrad(Adam):
    r"""AMSGrad: :class:`Adam` with ``amsgrad=True`` (a name for ``create``).

    Equation: Adam's, with ``vmax <- max(vmax, v)`` in place of ``v`` in the
    denominator, so the per-weight step size never grows.
    Paper: Reddi, Kale & Kumar, "On the Convergence of Adam and Beyond", ICLR 2018.
    Defaults: Adam's (the notes': ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7``).
    PyTorch: ``torch.optim.Adam(params, amsgrad=True, ...)`` with
    ``eps_placement='torch'``.

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = AMSGrad(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8, -1.8])
    """

    lr_vs_adamw = 1.0
    _fixed = ("amsgrad",)

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-7,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, amsgrad=True, **kw)


#: lowercase name -> class; every rule trainlab has that steps through
#: ``update(params, grads)`` (LBFGS, which takes a closure: :data:`CLOSURE_RULES`)
RULES: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
    "adadelta": Adadelta,
    "adamw": AdamW,
    "amsgrad": AMSGrad,
    "nadam": NAdam,
    "radam": RAdam,
    "swats": SWATS,
    "lion": Lion,
    "adopt": ADOPT,
    "ademamix": AdEMAMix,
    "lamb": LAMB,
    "schedulefreesgd": ScheduleFreeSGD,
    "schedulefreeadamw": ScheduleFreeAdamW,
    "prodigy": Prodigy,
    "soap": SOAP,
    "adamax": Adamax,
    "rprop": Rprop,
    "asgd": ASGD,
    "adafactor": Adafactor,
    "muon": MuonAdamW,
}

#: the rules that step with a closure, ``rule.step(params, closure)``, because
#: they evaluate the loss again within a step (:class:`LBFGS` says why); the
#: trainer, the benchmark and the landscape take them, :func:`create` builds them
CLOSURE_RULES: dict[str, type[LBFGS]] = {"lbfgs": LBFGS}


def takes_closure(rule: Any) -> bool:
    """Whether ``rule`` steps with ``step(params, closure)`` rather than ``update``."""
    return isinstance(rule, tuple(CLOSURE_RULES.values()))


def rule_key(name: str) -> str:
    """``name`` as the tables spell it: ``"Schedule-Free_SGD"`` -> ``"schedulefreesgd"``."""
    return str(name).strip().lower().replace("_", "").replace("-", "")


def rule_class(name: str) -> type[Any]:
    """The class of rule ``name`` (any spelling: ``"AdamW"``, ``"schedule-free-sgd"``)."""
    key = rule_key(name)
    cls = RULES.get(key) or CLOSURE_RULES.get(key)
    if cls is None:
        names = ", ".join([*RULES, *CLOSURE_RULES])
        raise ConfigError(f"unknown optimizer {name!r}; choose one of {names}")
    return cls


def options(cls: type) -> list[str]:
    """The keyword options a rule takes, its own first, then the common ones."""
    names: list[str] = []
    for c in cls.__mro__[:-1]:  # not object
        if "__init__" in vars(c):
            names += [
                p
                for p in inspect.signature(vars(c)["__init__"]).parameters
                if p not in ("self", "kw", "lr", *names, *getattr(cls, "_fixed", ()))
            ]
    return ["lr", *names]


def create(name: str, **kwargs: Any) -> Any:
    """Build an update rule by its lowercase name, e.g. ``create('adam', lr=1e-3)``:
    an :class:`Optimizer`, or for a name in :data:`CLOSURE_RULES` a rule that steps
    with a closure (``create('lbfgs')``)."""
    cls, key = rule_class(name), rule_key(name)
    allowed = options(cls)
    bad = sorted(set(kwargs) - set(allowed))
    if bad:
        raise ConfigError(f"{key} has no option {', '.join(bad)}; options are {', '.join(allowed)}")
    _check_types(cls, key, kwargs)
    return cls(**kwargs)


def _defaults(cls: type[Optimizer]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in reversed(cls.__mro__[:-1]):
        if "__init__" in vars(c):
            for p in inspect.signature(vars(c)["__init__"]).parameters.values():
                if p.default is not inspect.Parameter.empty:
                    out[p.name] = p.default
                elif p.annotation in (float, "float"):
                    out.setdefault(p.name, 0.0)
    return out


def _check_types(cls: type[Optimizer], key: str, kwargs: dict[str, Any]) -> None:
    """An option given as the wrong kind of value (``lr=true``, ``momentum=[1, 2]``,
    ``lr=null``) is refused here rather than silently converted or crashing later."""
    defaults = _defaults(cls)
    for name, value in kwargs.items():
        default = defaults.get(name)
        if isinstance(default, bool):
            ok, what = isinstance(value, bool), "true or false"
        elif isinstance(default, (int, float)) or name == "lr":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            ok = ok or (
                hasattr(value, "dtype")
                and getattr(value, "shape", None) == ()
                and value.dtype.kind in "iuf"
            )
            what = "a number"
        elif isinstance(default, str):
            ok, what = isinstance(value, str), "a name"
        else:
            continue
        if not ok:
            try:
                shown = json.dumps(value)  # as typed: null, true, [1, 2]
            except (TypeError, ValueError):
                shown = repr(value)
            raise ConfigError(f"{key} option {name} must be {what}, got {shown}")


__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSprop",
    "Adadelta",
    "Adam",
    "AdamW",
    "AMSGrad",
    "NAdam",
    "RAdam",
    "SWATS",
    "Lion",
    "ADOPT",
    "AdEMAMix",
    "LAMB",
    "Muon",
    "MuonAdamW",
    "LBFGS",
    "ScheduleFreeSGD",
    "ScheduleFreeAdamW",
    "Prodigy",
    "SOAP",
    "Adamax",
    "Rprop",
    "ASGD",
    "Adafactor",
    "GradientNoise",
    "Partition",
    "RULES",
    "CLOSURE_RULES",
    "takes_closure",
    "rule_class",
    "rule_key",
    "create",
    "options",
    "from_torch",
    "from_reference",
]
