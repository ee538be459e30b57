"""Shared pieces for the optimizer tests: one configured instance of every rule."""

from __future__ import annotations

import numpy as np

from trainlab.optim import RULES, GradientNoise, create

#: one constructor per rule, with options that switch on every code path
FACTORIES = {
    "sgd": lambda: create("sgd", lr=0.05),
    "sgd-momentum": lambda: create("sgd", lr=0.05, momentum=0.9, dampening=0.2, weight_decay=0.01),
    "sgd-nesterov": lambda: create("sgd", lr=0.05, momentum=0.9, nesterov=True, maximize=True),
    "momentum": lambda: create("momentum", lr=0.05),
    "nesterov": lambda: create("nesterov", lr=0.05, weight_decay=0.01),
    "adagrad": lambda: create("adagrad", lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
    "rmsprop": lambda: create("rmsprop", lr=0.01),
    "rmsprop-centered": lambda: create("rmsprop", lr=0.01, centered=True, momentum=0.5),
    "adadelta": lambda: create("adadelta", rho=0.9, weight_decay=0.01),
    "adam": lambda: create("adam", lr=0.01),
    "adam-torch": lambda: create("adam", lr=0.01, eps_placement="torch", weight_decay=0.01),
    "adam-nobias": lambda: create("adam", lr=0.01, bias_correction=False),
    "adam-l2-max": lambda: create("adam", lr=0.01, weight_decay=0.01, maximize=True),
    "adam-decoupled": lambda: create(
        "adam", lr=0.01, weight_decay=0.01, decoupled_weight_decay=True
    ),
    "momentum-l2": lambda: create("momentum", lr=0.05, weight_decay=0.01),
    "amsgrad": lambda: create("amsgrad", lr=0.01),
    "adamw": lambda: create("adamw", lr=0.01, amsgrad=True),
    "nadam": lambda: create("nadam", lr=0.01, weight_decay=0.01, decoupled_weight_decay=True),
    "radam": lambda: create("radam", lr=0.01, weight_decay=0.01),
    "swats": lambda: create("swats", lr=0.01, tol=1e-3),
    "lion": lambda: create("lion", lr=0.01, weight_decay=0.1, maximize=True),
    "adopt": lambda: create("adopt", lr=0.01, weight_decay=0.01),
    "ademamix": lambda: create("ademamix", lr=0.01, t_alpha_beta3=10, weight_decay=0.01),
    "lamb": lambda: create("lamb", lr=0.01, weight_decay=0.01, clamp=2.0),
    "schedulefreesgd": lambda: create(
        "schedulefreesgd", lr=0.1, weight_decay=0.01, warmup_steps=5, r=0.5
    ),
    "schedulefreeadamw": lambda: create(
        "schedulefreeadamw", lr=0.01, weight_decay=0.01, warmup_steps=5, weight_lr_power=1.0
    ),
    "prodigy": lambda: create("prodigy", d0=1e-3, weight_decay=0.01, slice_p=3),
    "prodigy-coupled": lambda: create(
        "prodigy", beta1=0.0, d0=1e-2, weight_decay=0.01, decouple=False, use_bias_correction=True
    ),
    "soap": lambda: create("soap", lr=0.01, precondition_frequency=3, precondition_1d=True),
    "adamax": lambda: create("adamax", lr=0.01, weight_decay=0.01, maximize=True),
    "rprop": lambda: create("rprop", lr=0.01, etaminus=0.3, step_size_max=0.5),
    "asgd": lambda: create("asgd", lr=0.05, lambd=0.01, t0=5, weight_decay=0.01),
    "adafactor": lambda: create("adafactor", lr=0.05, weight_decay=0.01, d=1.5),
    "muon": lambda: create("muon", lr=0.01, weight_decay=0.01, maximize=True),
    "noise-adam": lambda: GradientNoise(
        create("adam", lr=0.01), eta=0.3, rng=np.random.default_rng(7)
    ),
    "noise-swats": lambda: GradientNoise(
        create("swats", lr=0.01, tol=1e-3), eta=0.1, rng=np.random.default_rng(8)
    ),
}

assert {f().__class__.__name__.lower() for f in FACTORIES.values()} >= {
    c.__name__.lower() for c in RULES.values()
}, "every rule needs a factory"

SHAPES = [(7, 5), (), (5,), (3, 2, 4)]


def random_problem(seed: int, steps: int, dtype=np.float64, shapes=SHAPES):
    """Initial parameters and a list of gradient dicts, all from ``seed``."""
    rng = np.random.default_rng(seed)
    params = {f"p{i}": rng.standard_normal(s).astype(dtype) for i, s in enumerate(shapes)}
    grads = [
        {k: (rng.standard_normal(v.shape) + 0.3 * v).astype(dtype) for k, v in params.items()}
        for _ in range(steps)
    ]
    return params, grads


def copy(params: dict) -> dict:
    return {k: np.array(v) for k, v in params.items()}
