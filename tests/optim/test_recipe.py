"""``recipe``: the torch.optim or reference call of a rule, the inverse of
``from_torch`` and ``from_reference``."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.optim import RULES, create, from_reference, from_torch, options
from trainlab.optim.pytorch import TORCH_RULES
from trainlab.optim.recipe import call_text, recipe

#: rules whose steps no torch.optim or reference call takes with these options
#: (the notes' Adam adds eps before the bias correction; momentum and nesterov
#: are the notes' forms; SWATS has no reference implementation)
NONE = {"adam", "amsgrad", "momentum", "nesterov", "swats"}


def back(name, keywords):
    return from_torch(name, **keywords) if name in TORCH_RULES else from_reference(name, **keywords)


@pytest.mark.parametrize("rule", sorted(set(RULES) - NONE))
def test_the_call_gives_back_the_rule_and_its_options(rule):
    rng = np.random.default_rng(sorted(RULES).index(rule))
    for _ in range(5):
        lr = float(10 ** rng.uniform(-4, 0))
        opt = create(rule, lr=lr)
        name, keywords = recipe(opt)
        again = back(name, keywords)
        assert type(again) is type(opt)
        assert again.hyperparameters() == pytest.approx(opt.hyperparameters())
        assert keywords["lr"] == lr


@pytest.mark.parametrize(
    ("rule", "options", "expected"),
    [
        ("lion", {"lr": 3e-4}, ("lion_pytorch.Lion", {"lr": 3e-4})),
        (
            "lion",
            {"lr": 3e-4, "weight_decay": 0.1},
            ("lion_pytorch.Lion", {"lr": 3e-4, "weight_decay": 0.1}),
        ),
        (
            "adamw",
            {"lr": 3e-3, "weight_decay": 1e-4},
            ("AdamW", {"lr": 3e-3, "weight_decay": 1e-4}),
        ),
        (
            "rmsprop",
            {"lr": 0.01, "decay_rate": 0.9},
            ("RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-7}),
        ),
        ("rprop", {"lr": 0.01, "etaplus": 1.3}, ("Rprop", {"lr": 0.01, "etas": (0.5, 1.3)})),
        (
            "adopt",
            {"lr": 1e-3, "clip": False},
            ("pytorch_optimizer.ADOPT", {"lr": 1e-3, "clip_lambda": None}),
        ),
        (
            "lamb",
            {"lr": 1e-3, "trust_ratio": False},
            ("pytorch_optimizer.Lamb", {"lr": 1e-3, "adam": True}),
        ),
        ("prodigy", {"lr": 1.0}, ("prodigyopt.Prodigy", {"lr": 1.0})),
        ("schedulefreeadamw", {"lr": 0.01}, ("schedulefree.AdamWScheduleFree", {"lr": 0.01})),
    ],
)
def test_the_call_holds_only_what_differs_from_its_defaults(rule, options, expected):
    assert recipe(create(rule, **options)) == expected


@pytest.mark.parametrize("rule", sorted(NONE))
def test_no_call_for_rules_no_library_steps_the_same(rule):
    assert recipe(create(rule)) is None


def test_the_call_as_python():
    assert (
        call_text("AdamW", {"lr": 0.003, "weight_decay": 1e-4})
        == "torch.optim.AdamW(model.parameters(), lr=0.003, weight_decay=0.0001)"
    )
    assert (
        call_text("lion_pytorch.Lion", {"lr": 3e-4}, "params")
        == "lion_pytorch.Lion(params, lr=0.0003)"
    )


def drawn_options(rule, rng):
    """Random values near the rule's defaults for its float options (lr, betas, eps, ...)."""
    out = {}
    for k, v in create(rule).hyperparameters().items():
        if k in options(RULES[rule]) and type(v) is float and math.isfinite(v) and v > 0:
            out[k] = v * rng.uniform(0.8, 1.0) if v < 1 else v * rng.uniform(1.0, 2.0)
    out.pop("clamp", None)  # LAMB's trust-ratio bound: pytorch_optimizer fixes it at 10
    return out


@pytest.mark.parametrize("rule", sorted(set(RULES) - NONE))
def test_random_options_come_back_through_the_call(rule):
    rng = np.random.default_rng(len(rule))
    for _ in range(10):
        try:
            opt = create(rule, **drawn_options(rule, rng))
        except ConfigError:  # a draw the rule refuses (Rprop's etaminus < 1 < etaplus, ...)
            continue
        name, keywords = recipe(opt)
        again = back(name, keywords)
        assert type(again) is type(opt)
        assert again.hyperparameters() == pytest.approx(opt.hyperparameters())
