"""``benchmark.html``: the page a practitioner acts on, written by ``trainlab benchmark``.

Self-contained like ``report.html`` (figures as ``data:`` URIs, no scripts,
no links out): the protocol and its declared search space, the targets and
how they were chosen, the ranking of each problem against the seed-to-seed
spread, the performance profile and its areas, the lr sensitivity and the
validation curves, warnings, and for each problem the recommended rule with
its settings, a ``trainlab train`` command that reproduces it and the
PyTorch equivalent (checked with :func:`trainlab.optim.from_torch`).
"""

from __future__ import annotations

import base64
import html
import math
import shlex
from pathlib import Path
from typing import Any

from trainlab.atomic import atomic_write
from trainlab.optim import create, from_torch

FIGURES = (
    (
        "performance_profile.png",
        "Performance profile: share of problems on which a rule "
        "reaches the target within τ times the best rule's median CPU time (τ from 1 to 4).",
    ),
    (
        "sensitivity.png",
        "Sensitivity: final validation metric of every tuned setting "
        "against its learning rate (diverged runs left out).",
    ),
    ("curves.png", "Validation metric per epoch of the best setting, mean ± std over seeds."),
)

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222;line-height:1.5}h1{border-bottom:2px solid #444}h2{margin-top:2em;
border-bottom:1px solid #bbb}img{max-width:100%;border:1px solid #ddd}figcaption{color:#666;
font-size:.85em}table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px
solid #ccc;padding:.25em .6em;text-align:left}pre{background:#f5f5f5;padding:.6em;
overflow-x:auto}.warn{color:#a40}"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _num(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or v in ("inf", "nan"):
        return "not reached" if v in (math.inf, "inf") else "–"
    return f"{v:.4g}" if isinstance(v, float) else str(v)


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


def _torch_code(cls: str, kw: dict, wd: float) -> str:
    inner = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    if not wd:
        return f"torch.optim.{cls}(model.parameters(), {inner})"
    return (
        f"weights = [p for n, p in model.named_parameters() if n.endswith('weight')]\n"
        f"others = [p for n, p in model.named_parameters() if not n.endswith('weight')]\n"
        f"torch.optim.{cls}([{{'params': weights, 'weight_decay': {wd!r}}},\n"
        f"                  {{'params': others}}], {inner})"
    )


def _table(head, rows) -> str:
    h = "".join(f"<th>{_e(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _space_section(space: dict) -> str:
    rows = [
        (
            k,
            f"{s['low']:g}",
            f"{s['high']:g}",
            "grid" if s.get("grid") else ("log" if s.get("log") else "linear"),
        )
        for k, s in space.items()
    ]
    return (
        "<h2>Declared search space (the same for every rule)</h2>"
        + _table(("parameter", "low", "high", "scale"), rows)
        + "<p><code>momentum</code> is each rule's momentum (momentum, nesterov) or beta1 (the "
        "Adam family); rules without one by default (sgd, rmsprop, adagrad) ignore the draw. "
        "<code>weight_decay</code> is the network's ½λΣW² penalty, for every rule.</p>"
    )


def _overall(metrics: dict) -> str:
    def areas(profile: str) -> str:
        return ", ".join(f"{r} {metrics[profile]['area'][r]:.3f}" for r in metrics["overall"])

    return (
        "<h2>Ranking</h2><p>Overall, by the area under the performance profile "
        "(τ ∈ [1, 4]; 1 = fastest to the target everywhere, 0 = never reaches it): "
        + _e(areas("profile"))
        + "; by steps instead of CPU "
        "seconds: " + _e(areas("profile_steps")) + ".</p>"
    )


RANKING_HEAD = (
    "rank",
    "rule",
    "test mean ± std",
    "gap to best",
    "seed spread",
    "verdict",
    "median steps / epochs / CPU s to target",
)
TO_TARGET = ("median_steps_to_target", "median_epochs_to_target", "median_seconds_to_target")


def _ranking(pname: str, rows: list, metrics: dict) -> str:
    t = metrics["targets"][pname]
    per = metrics["problems"][pname]
    table = [
        (
            r["rank"],
            r["rule"],
            f"{_num(r['test_mean'])} ± {_num(r['test_std'])}",
            _num(r["gap_to_best"]),
            _num(r["spread"]),
            r["verdict"],
            " / ".join(_num(per[r["rule"]][k]) for k in TO_TARGET),
        )
        for r in rows
    ]
    return f"<h3>{_e(pname)}: target {_num(t['value'])} ({_e(t['how'])})</h3>" + _table(
        RANKING_HEAD, table
    )


def _recommended(pname: str, rec: dict, plan: dict) -> list[str]:
    opts = rec["options"]
    parts = [
        f"<h3>{_e(pname)}: {_e(rec['rule'])}</h3><p>{_e(rec['why'])}. Settings: "
        f"<code>{_e(opts)}</code></p>"
    ]
    custom = plan.get("custom", {})
    cmd = train_command(custom.get(pname) or {"dataset": pname}, rec["rule"], opts, plan)
    if cmd:
        same = "on the same split and scaling; " if "file" in custom.get(pname, {}) else ""
        parts.append(
            f"<p>Train with these settings ({same}the seed's random streams "
            f"differ from the benchmark's runs):</p><pre>{_e(cmd)}</pre>"
        )
    cls, kw, note = torch_equivalent(rec["rule"], opts)
    if cls:
        parts.append(
            "<p>In PyTorch (the mapping of <code>trainlab.optim.from_torch</code>; "
            f"<code>from_torch({cls!r}, {_e(', '.join(f'{k}={v!r}' for k, v in kw.items()))})"
            f"</code> gives back this rule):</p><pre>"
            f"{_e(_torch_code(cls, kw, opts.get('weight_decay', 0.0)))}</pre>"
            + (f"<p>{_e(note)}</p>" if note else "")
        )
    return parts


def _figures(folder: Path) -> list[str]:
    parts = []
    for name, caption in FIGURES:
        path = folder / name
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            parts.append(
                f"<figure><img alt='{_e(name)}' src='data:image/png;base64,{data}'>"
                f"<figcaption>{_e(caption)}</figcaption></figure>"
            )
    return parts


def build_page(folder: Path, plan: dict, metrics: dict) -> str:
    parts = [
        f"<h1>Which update rule? {_e(', '.join(plan['problems']))}</h1>",
        f"<p>Protocol: {_e(plan.get('protocol_text', ''))}. Every rule: "
        f"{_e(metrics['budget_per_rule'])} tuning runs of {plan['epochs']} epochs, then "
        f"{plan['seeds']} seeds. Times are CPU seconds of the training process; steps "
        "and epochs do not depend on the machine.</p>",
        _space_section(metrics["space"]),
    ]
    if metrics["warnings"]:
        parts.append(
            "<h2 class=warn>Warnings</h2><ul>"
            + "".join(f"<li class=warn>{_e(w)}</li>" for w in metrics["warnings"])
            + "</ul>"
        )
    parts.append(_overall(metrics))
    parts += [_ranking(p, rows, metrics) for p, rows in metrics["ranking"].items()]
    parts.append("<h2>Recommended</h2>")
    for pname, rec in metrics["recommended"].items():
        parts += _recommended(pname, rec, plan)
    parts += _figures(folder)
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>trainlab "
        f"benchmark</title><style>{CSS}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def write_page(folder, plan: dict, metrics: dict) -> Path:
    folder = Path(folder)
    text = build_page(folder, plan, metrics)
    with atomic_write(folder / "benchmark.html") as fh:
        fh.write(text.encode("utf-8"))
    return folder / "benchmark.html"
