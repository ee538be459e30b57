"""``from_reference``: the trainlab rule that takes the same steps as an author's implementation.

The rules published after the notes come with reference code from their
authors (``lion_pytorch.Lion``, ``schedulefree.AdamWScheduleFree``,
``prodigyopt.Prodigy``, ...) or from ``pytorch_optimizer``. Nothing here
imports them: it only translates the class name, its option names and its
defaults into the trainlab rule that takes the same steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from trainlab.errors import ConfigError
from trainlab.optim.ademamix import AdEMAMix
from trainlab.optim.adopt import ADOPT
from trainlab.optim.base import Optimizer
from trainlab.optim.lamb import LAMB
from trainlab.optim.lion import Lion
from trainlab.optim.prodigy import Prodigy
from trainlab.optim.schedulefree import ScheduleFreeAdamW, ScheduleFreeSGD
from trainlab.optim.soap import SOAP
from trainlab.optim.translate import filled
from trainlab.validate import check_positive, check_unit

#: a translation: the reference's options (with its defaults filled in) -> the trainlab rule
Translate = Callable[..., Optimizer]


def split_betas(betas: Any, count: int) -> tuple[float, ...]:
    """A reference's ``betas=(beta1, beta2, ...)``: ``count`` decay rates in [0, 1)."""
    values = tuple(betas) if isinstance(betas, (tuple, list)) else ()
    if len(values) != count:
        raise ConfigError(f"betas must be {count} decay rates (beta1, beta2, ...), got {betas!r}")
    return tuple(check_unit(f"betas[{i}]", b) for i, b in enumerate(values))


def beta_pair(betas: Any) -> dict[str, Any]:
    """A reference's ``betas=(beta1, beta2)`` as trainlab's ``beta1`` and ``beta2``."""
    beta1, beta2 = split_betas(betas, 2)
    return {"beta1": beta1, "beta2": beta2}


def pytorch_optimizer_decay(
    weight_decay: float, weight_decouple: bool, fixed_decay: bool, maximize: bool
) -> dict[str, Any]:
    """pytorch_optimizer's weight decay and maximize options, in trainlab's names."""
    if fixed_decay:
        raise ConfigError("fixed_decay=True (decay not scaled by lr) is not implemented here")
    return dict(
        weight_decay=weight_decay, decoupled_weight_decay=bool(weight_decouple), maximize=maximize
    )


def _lion(lr: float, betas: Any, weight_decay: float, decoupled_weight_decay: bool) -> Optimizer:
    beta1, beta2 = split_betas(betas, 2)
    if decoupled_weight_decay:  # lion_pytorch then divides the decay by the initial lr
        weight_decay = weight_decay / check_positive("lr", lr)
    return Lion(lr, beta1, beta2, weight_decay)


def quarter_power(step: int) -> float:
    """ADOPT's clip bound, ``step ** 0.25`` (pytorch_optimizer's default ``clip_lambda``)."""
    return math.pow(step, 0.25)


def _adopt(lr: float, betas: Any, clip_lambda: Any, eps: float, **decay: Any) -> Optimizer:
    if clip_lambda not in (quarter_power, None):
        raise ConfigError("ADOPT's clip_lambda must be the default (step ** 0.25) or None here")
    beta1, beta2 = split_betas(betas, 2)
    return ADOPT(
        lr, beta1, beta2, eps, clip=clip_lambda is not None, **pytorch_optimizer_decay(**decay)
    )


def _ademamix(
    lr: float, betas: Any, alpha: float, t_alpha_beta3: Any, eps: float, **decay: Any
) -> Optimizer:
    beta1, beta2, beta3 = split_betas(betas, 3)
    return AdEMAMix(
        lr, beta1, beta2, beta3, alpha, t_alpha_beta3, eps, **pytorch_optimizer_decay(**decay)
    )


def _lamb(
    lr: float,
    betas: Any,
    rectify: bool,
    degenerated_to_sgd: bool,
    n_sma_threshold: int,
    grad_averaging: bool,
    max_grad_norm: float,
    adam: bool,
    pre_norm: bool,
    eps: float,
    **decay: Any,
) -> Optimizer:
    # degenerated_to_sgd and n_sma_threshold act only with rectify, max_grad_norm with pre_norm
    if rectify or pre_norm:
        raise ConfigError("Lamb's rectify=True and pre_norm=True are not implemented here")
    beta1, beta2 = split_betas(betas, 2)
    kw = pytorch_optimizer_decay(**decay)
    return LAMB(lr, beta1, beta2, eps, grad_averaging=grad_averaging, trust_ratio=not adam, **kw)


#: "package.Class" -> (the translation, the reference's options with its defaults)
REFERENCE_RULES: dict[str, tuple[Translate, dict[str, Any]]] = {
    "lion_pytorch.Lion": (
        _lion,
        dict(lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0, decoupled_weight_decay=False),
    ),
    "pytorch_optimizer.ADOPT": (
        _adopt,
        dict(
            lr=1e-3,
            betas=(0.9, 0.9999),
            clip_lambda=quarter_power,
            weight_decay=0.0,
            weight_decouple=False,
            fixed_decay=False,
            eps=1e-6,
            maximize=False,
        ),
    ),
    "pytorch_optimizer.AdEMAMix": (
        _ademamix,
        dict(
            lr=1e-3,
            betas=(0.9, 0.999, 0.9999),
            weight_decay=0.0,
            weight_decouple=False,
            fixed_decay=False,
            alpha=5.0,
            t_alpha_beta3=None,
            eps=1e-8,
            maximize=False,
        ),
    ),
    "pytorch_optimizer.Lamb": (
        _lamb,
        dict(
            lr=1e-3,
            betas=(0.9, 0.999),
            weight_decay=0.0,
            weight_decouple=True,
            fixed_decay=False,
            rectify=False,
            degenerated_to_sgd=False,
            n_sma_threshold=5,
            grad_averaging=True,
            max_grad_norm=1.0,
            adam=False,
            pre_norm=False,
            eps=1e-6,
            maximize=False,
        ),
    ),
    "schedulefree.SGDScheduleFree": (
        ScheduleFreeSGD,
        dict(lr=1.0, momentum=0.9, weight_decay=0.0, warmup_steps=0, r=0.0, weight_lr_power=2.0),
    ),
    "schedulefree.AdamWScheduleFree": (
        lambda betas, **kw: ScheduleFreeAdamW(**beta_pair(betas), **kw),
        dict(
            lr=0.0025,
            betas=(0.9, 0.999),
            eps=1e-8,
            weight_decay=0.0,
            warmup_steps=0,
            r=0.0,
            weight_lr_power=2.0,
        ),
    ),
    "prodigyopt.Prodigy": (
        lambda betas, fsdp_in_use, **kw: Prodigy(**beta_pair(betas), **kw),
        dict(
            lr=1.0,
            betas=(0.9, 0.999),
            beta3=None,
            eps=1e-8,
            weight_decay=0.0,
            decouple=True,
            use_bias_correction=False,
            safeguard_warmup=False,
            d0=1e-6,
            d_coef=1.0,
            growth_rate=float("inf"),
            fsdp_in_use=False,  # sharded training only; the steps are the same
            slice_p=1,
        ),
    ),
    "pytorch_optimizer.SOAP": (
        lambda betas, **kw: SOAP(**beta_pair(betas), **kw),
        dict(
            lr=3e-3,
            betas=(0.95, 0.95),
            shampoo_beta=None,
            weight_decay=1e-2,
            precondition_frequency=10,
            max_precondition_dim=10000,
            merge_dims=False,
            precondition_1d=False,
            correct_bias=True,
            normalize_gradient=False,
            data_format="channels_first",
            eps=1e-8,
            maximize=False,
        ),
    ),
}

#: options that only choose the reference's implementation; they do not change the steps
IGNORED = ("foreach", "fused", "capturable", "differentiable", "use_triton")


def from_reference(name: str, **kwargs: Any) -> Optimizer:
    """The trainlab optimizer that reproduces ``package.Class(params, **kwargs)``.

    ``name`` is the reference's import path, e.g. ``'lion_pytorch.Lion'``;
    options take the reference's names and defaults. Example:
    ``from_reference('lion_pytorch.Lion', lr=1e-4, weight_decay=0.1)``.
    """
    translate, kw = filled(REFERENCE_RULES, name, kwargs, IGNORED, "reference optimizer")
    return translate(**kw)
