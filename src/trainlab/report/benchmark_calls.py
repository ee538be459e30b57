"""The calls a benchmark's recommendation is given as: ``trainlab train`` with
its settings, and the ``torch.optim`` or reference-package call that takes the
same steps (:func:`trainlab.optim.recipe.recipe`, checked by translating it
back with :func:`~trainlab.optim.from_torch` or
:func:`~trainlab.optim.from_reference`).
"""

from __future__ import annotations

import math
import shlex
from typing import Any

from trainlab.optim import create, from_torch
from trainlab.optim.pytorch import TORCH_RULES
from trainlab.optim.recipe import call_text, recipe


def torch_equivalent(rule: str, options: dict) -> tuple[str, dict, str]:
    """``(torch.optim class, its keywords, a note)`` for trainlab's ``rule`` with
    ``options`` (lr and the rule's own; ``weight_decay`` is the network's L2
    penalty on the weights, which PyTorch gets as a parameter group)."""
    opts = {k: v for k, v in options.items() if k != "weight_decay"}
    opt: Any = create(rule, **opts)  # each branch reads its own rule's attributes
    kind = type(opt).__name__
    kw: dict[str, Any] = {"lr": opt.lr}
    note = ""
    if kind in ("Momentum", "Nesterov"):
        cls, kw["momentum"] = "SGD", opt.momentum
        if kind == "Nesterov":
            kw["nesterov"] = True
    elif kind == "SGD":
        cls = "SGD"
    elif kind == "AdaGrad":
        cls, kw["eps"] = "Adagrad", opt.eps
    elif kind == "RMSprop":
        cls, kw["alpha"], kw["eps"] = "RMSprop", opt.decay_rate, opt.eps
        if opt.momentum:
            kw["momentum"] = opt.momentum
    elif kind in ("Adam", "AMSGrad", "AdamW", "NAdam", "RAdam"):
        cls = {"AMSGrad": "Adam"}.get(kind, kind)
        kw["betas"], kw["eps"] = (opt.beta1, opt.beta2), opt.eps
        if kind == "AMSGrad":
            kw["amsgrad"] = True
        if kind == "AdamW":
            kw["weight_decay"] = opt.weight_decay
        if getattr(opt, "eps_placement", "torch") != "torch":
            note = (
                "trainlab's adam adds eps as the notes do; torch.optim.Adam adds it after "
                "the bias correction, so the steps differ by terms of order eps"
            )
    elif kind == "Adadelta":
        cls, kw["rho"], kw["eps"] = "Adadelta", opt.rho, opt.eps
    else:
        return "", {}, f"{kind} has no torch.optim counterpart"
    back = from_torch(cls, **kw)  # the mapping, checked both ways
    same = all(
        math.isclose(getattr(back, a), getattr(opt, a))
        for a in ("lr", "momentum", "beta1", "beta2", "eps", "decay_rate", "rho")
        if hasattr(opt, a) and hasattr(back, a)
    )
    if not same:
        note = (note + "; " if note else "") + "from_torch maps these options differently"
    return cls, kw, note


def train_command(problem: dict, rule: str, options: dict, plan: dict) -> str | None:
    """A ``trainlab train`` command for a --data or built-in data set problem."""
    args = ["trainlab", "train"]
    if "file" in problem:
        f = problem["file"]
        args += ["--data", f["data"]]
        if f.get("target"):
            args += ["--target", f["target"]]
        if f.get("task"):
            args += ["--task", f["task"]]
        args += [
            "--scale",
            f.get("scale", "standard"),
            "--split-seed",
            str(f.get("seed", 0)),
            "--hidden",
            ",".join(map(str, f.get("hidden", (100, 100)))),
            "--batch-size",
            str(f.get("batch_size", 100)),
        ]
    elif problem.get("dataset") in ("digits", "fashion-mnist"):
        args += [
            "--dataset",
            problem["dataset"],
            "--hidden",
            ",".join(map(str, problem.get("hidden", (100,) * 4))),
        ]
    else:
        return None
    rest = dict(options)
    args += ["--optimizer", rule, "--lr", f"{rest.pop('lr'):.6g}"]
    wd = rest.pop("weight_decay", 0.0)
    if wd:
        args += ["--weight-decay", f"{wd:.6g}"]
    for k, v in rest.items():
        args += ["--opt", f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}"]
    args += ["--epochs", str(plan["epochs"]), "--seed", "1"]
    return " ".join(shlex.quote(a) for a in args)


def torch_code(cls: str, kw: dict, wd: float) -> str:
    inner = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    if not wd:
        return f"torch.optim.{cls}(model.parameters(), {inner})"
    return (
        f"weights = [p for n, p in model.named_parameters() if n.endswith('weight')]\n"
        f"others = [p for n, p in model.named_parameters() if not n.endswith('weight')]\n"
        f"torch.optim.{cls}([{{'params': weights, 'weight_decay': {wd!r}}},\n"
        f"                  {{'params': others}}], {inner})"
    )


def library_call(rule: str, options: dict) -> tuple[str, str] | None:
    """``(code, check)``: the ``torch.optim`` or reference-package call that takes
    the same steps as ``rule`` with ``options``, as Python, and the translation
    that gives the rule back; ``None`` when no library has it. ``weight_decay``
    is the network's ½λΣW² penalty on the weights: the code adds it to the loss."""
    found = recipe(create(rule, **{k: v for k, v in options.items() if k != "weight_decay"}))
    if found is None:
        return None
    name, keywords = found
    back = "from_torch" if name in TORCH_RULES else "from_reference"
    check = f"{back}({', '.join([repr(name), *(f'{k}={v!r}' for k, v in keywords.items())])})"
    code = "optimizer = " + call_text(name, keywords)
    wd = options.get("weight_decay", 0.0)
    if wd:
        code += (
            f"\nloss = loss + {wd / 2!r} * sum(p.pow(2).sum() for n, p in "
            "model.named_parameters() if n.endswith('weight'))"
        )
    return code, check
