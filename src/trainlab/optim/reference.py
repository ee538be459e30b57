"""``from_reference``: the trainlab rule that takes the same steps as an author's implementation.

The rules published after the notes come with reference code from their
authors (``lion_pytorch.Lion``, ``schedulefree.AdamWScheduleFree``,
``prodigyopt.Prodigy``, ...) or from ``pytorch_optimizer``. Nothing here
imports them: it only translates the class name, its option names and its
defaults into the trainlab rule that takes the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.optim.prodigy import Prodigy
from trainlab.optim.schedulefree import ScheduleFreeAdamW, ScheduleFreeSGD
from trainlab.optim.soap import SOAP

#: a translation: the reference's options (with its defaults filled in) -> the trainlab rule
Translate = Callable[..., Optimizer]

#: "package.Class" -> (the translation, the reference's options with its defaults)
REFERENCE_RULES: dict[str, tuple[Translate, dict[str, Any]]] = {
    "schedulefree.SGDScheduleFree": (
        ScheduleFreeSGD,
        dict(lr=1.0, momentum=0.9, weight_decay=0.0, warmup_steps=0, r=0.0, weight_lr_power=2.0),
    ),
    "schedulefree.AdamWScheduleFree": (
        lambda betas, **kw: ScheduleFreeAdamW(beta1=betas[0], beta2=betas[1], **kw),
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
        lambda betas, fsdp_in_use, **kw: Prodigy(beta1=betas[0], beta2=betas[1], **kw),
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
        lambda betas, **kw: SOAP(beta1=betas[0], beta2=betas[1], **kw),
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
    match = {k.lower(): k for k in REFERENCE_RULES}.get(str(name).lower())
    if match is None:
        raise ConfigError(
            f"unknown reference optimizer {name!r}; choose one of {', '.join(REFERENCE_RULES)}"
        )
    translate, defaults = REFERENCE_RULES[match]
    unknown = sorted(set(kwargs) - set(defaults) - set(IGNORED))
    if unknown:
        raise ConfigError(
            f"{match} has no option {', '.join(unknown)} here; "
            f"valid options are {', '.join(defaults)}"
        )
    return translate(**{**defaults, **{k: v for k, v in kwargs.items() if k not in IGNORED}})
