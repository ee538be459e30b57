"""``from_torch``: the trainlab rule that takes the same steps as a ``torch.optim`` class.

Nothing here imports torch: it only translates names, options and defaults.
"""

from __future__ import annotations

from typing import Any

from trainlab.errors import ConfigError
from trainlab.optim.adafactor import Adafactor
from trainlab.optim.adam import Adam, AdamW
from trainlab.optim.adamax import Adamax
from trainlab.optim.adaptive import Adadelta, AdaGrad, RMSprop
from trainlab.optim.asgd import ASGD
from trainlab.optim.base import Optimizer
from trainlab.optim.lbfgs import LBFGS
from trainlab.optim.muon import NS_COEFFICIENTS, Muon
from trainlab.optim.nadam import NAdam
from trainlab.optim.radam import RAdam
from trainlab.optim.rprop import Rprop
from trainlab.optim.sgd import SGD
from trainlab.optim.translate import filled
from trainlab.validate import check_unit

_BETAS = (0.9, 0.999)

#: torch.optim class name -> (trainlab class, torch's options with torch's defaults)
TORCH_RULES: dict[str, tuple[type[Optimizer] | type[LBFGS], dict[str, Any]]] = {
    "SGD": (
        SGD,
        dict(
            lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False
        ),
    ),
    "Adagrad": (
        AdaGrad,
        dict(
            lr=1e-2,
            lr_decay=0.0,
            weight_decay=0.0,
            initial_accumulator_value=0.0,
            eps=1e-10,
            maximize=False,
        ),
    ),
    "RMSprop": (
        RMSprop,
        dict(
            lr=1e-2,
            alpha=0.99,
            eps=1e-8,
            weight_decay=0.0,
            momentum=0.0,
            centered=False,
            maximize=False,
        ),
    ),
    "Adadelta": (Adadelta, dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, maximize=False)),
    "Adam": (
        Adam,
        dict(
            lr=1e-3,
            betas=_BETAS,
            eps=1e-8,
            weight_decay=0.0,
            amsgrad=False,
            maximize=False,
            decoupled_weight_decay=False,
        ),
    ),
    "AdamW": (
        AdamW,
        dict(lr=1e-3, betas=_BETAS, eps=1e-8, weight_decay=1e-2, amsgrad=False, maximize=False),
    ),
    "NAdam": (
        NAdam,
        dict(
            lr=2e-3,
            betas=_BETAS,
            eps=1e-8,
            weight_decay=0.0,
            momentum_decay=4e-3,
            decoupled_weight_decay=False,
            maximize=False,
        ),
    ),
    "RAdam": (
        RAdam,
        dict(
            lr=1e-3,
            betas=_BETAS,
            eps=1e-8,
            weight_decay=0.0,
            decoupled_weight_decay=False,
            maximize=False,
        ),
    ),
    "Muon": (
        Muon,
        dict(
            lr=1e-3,
            weight_decay=0.1,
            momentum=0.95,
            nesterov=True,
            ns_coefficients=NS_COEFFICIENTS,
            eps=1e-7,
            ns_steps=5,
            adjust_lr_fn=None,
        ),
    ),
    "LBFGS": (
        LBFGS,
        dict(
            lr=1.0,
            max_iter=20,
            max_eval=None,
            tolerance_grad=1e-7,
            tolerance_change=1e-9,
            history_size=100,
            line_search_fn=None,
        ),
    ),
    "Adamax": (Adamax, dict(lr=2e-3, betas=_BETAS, eps=1e-8, weight_decay=0.0, maximize=False)),
    "Rprop": (Rprop, dict(lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50.0), maximize=False)),
    "ASGD": (
        ASGD,
        dict(lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, maximize=False),
    ),
    "Adafactor": (
        Adafactor,
        dict(lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False),
    ),
}

#: torch's options that are pairs -> the names of the two trainlab options
PAIRS = {
    "etas": ("etaminus", "etaplus"),
    "step_sizes": ("step_size_min", "step_size_max"),
}

#: options that only choose torch's implementation; they do not change the steps
IGNORED = ("foreach", "fused", "capturable", "differentiable")


def from_torch(name: str, **torch_kwargs: Any) -> Optimizer | LBFGS:
    """The trainlab optimizer that reproduces ``torch.optim.<name>(params, **torch_kwargs)``.

    Options take PyTorch's names and defaults (``betas=(b1, b2)``, RMSprop's
    ``alpha``, Adam's eps after the bias correction, lr=1e-3 for SGD and Adam,
    Rprop's ``etas`` and ``step_sizes`` pairs, Adafactor's ``eps=(eps1, eps2)``,
    ...). ``maximize`` is supported; ``foreach``, ``fused``, ``capturable`` and
    ``differentiable`` are accepted and ignored. Unlike PyTorch, lr = 0 and
    eps = 0 are refused. Example: ``from_torch('SGD', lr=0.1, momentum=0.9,
    nesterov=True)``. ``'LBFGS'`` gives :class:`~trainlab.optim.lbfgs.LBFGS`,
    which steps with a closure (``opt.step(params, closure)``) instead of ``update``.
    """
    cls, kw = filled(TORCH_RULES, name, torch_kwargs, IGNORED, "torch.optim class", "torch.optim.")
    if "betas" in kw:
        b1, b2 = unpair("betas", kw.pop("betas"), "(beta1, beta2)")
        kw["beta1"], kw["beta2"] = check_unit("betas[0]", b1), check_unit("betas[1]", b2)
    for pair, names in PAIRS.items():
        if pair in kw:
            kw.update(zip(names, unpair(pair, kw.pop(pair)), strict=True))
    if cls is Adafactor:
        kw["eps1"], kw["eps2"] = unpair("eps", kw.pop("eps"), "(eps1, eps2)")
    if cls is RMSprop:
        kw["decay_rate"] = kw.pop("alpha")
    if cls is Adam:
        kw["eps_placement"] = "torch"
    if cls is Muon and kw["adjust_lr_fn"] is None:
        kw["adjust_lr_fn"] = "original"  # torch's None means Keller Jordan's scale
    return cls(**kw)


def unpair(name: str, value: Any, what: str = "") -> tuple[Any, Any]:
    """The two values of torch's pair option ``name``; ConfigError if it is no pair."""
    try:
        first, second = value
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a pair {what or '(a, b)'}, got {value!r}") from None
    return first, second
