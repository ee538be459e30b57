"""``benchmark.html``: the page a practitioner acts on, written by ``trainlab benchmark``.

Self-contained like ``report.html`` (figures as ``data:`` URIs, no scripts,
no links out): the protocol and its declared search space, the targets and
how they were chosen, the ranking of each problem against the seed-to-seed
spread, each rule at its defaults and tuned side by side, the performance
profile and its areas, the lr sensitivity and the validation curves,
warnings, and for each problem the recommended rule with its settings, a
``trainlab train`` command that reproduces it and the ``torch.optim`` or
reference-package call that takes the same steps
(:mod:`trainlab.report.benchmark_calls`).
"""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

from trainlab.atomic import atomic_write
from trainlab.report.benchmark_calls import (
    library_call,
    torch_code,
    torch_equivalent,
    train_command,
)

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


CENTRED = (
    "<p>Centred (the default): the lr range above is AdamW's; each rule's is "
    "that range times the rule's typical lr relative to AdamW's (its "
    "<code>lr_vs_adamw</code>, in <code>metrics.json</code> → the rule's "
    "<code>sensitivity</code>).</p>"
)
UNCENTRED = (
    "<p>Not centred (<code>--no-centre-lr</code>, or a benchmark begun before centring "
    "was the default): every rule tried the lr range above.</p>"
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
    parts.append(_library(rec["rule"], opts))
    return parts


def _library(rule: str, opts: dict) -> str:
    """The call in PyTorch or the rule's reference package that takes the same steps."""
    call = library_call(rule, opts)
    if call:
        code, check = call
        return (
            "<p>In PyTorch (the call that <code>trainlab.optim.recipe</code> finds; "
            f"<code>{_e(check)}</code> gives back this rule and its options):</p>"
            f"<pre>{_e(code)}</pre>"
        )
    cls, kw, note = torch_equivalent(rule, opts)
    if not cls:
        return f"<p>{_e(note)}; no library call takes its steps.</p>"
    return (
        "<p>In PyTorch (the mapping of <code>trainlab.optim.from_torch</code>; "
        f"<code>from_torch({cls!r}, {_e(', '.join(f'{k}={v!r}' for k, v in kw.items()))})"
        f"</code> gives back this rule):</p><pre>"
        f"{_e(torch_code(cls, kw, opts.get('weight_decay', 0.0)))}</pre>"
        + (f"<p>{_e(note)}</p>" if note else "")
    )


DEFAULTS_HEAD = (
    "rule",
    "at its defaults",
    "test mean ± std",
    "tuned",
    "test mean ± std",
    "seeds reaching the target (defaults / tuned)",
)


def _defaults_vs_tuned(pname: str, metrics: dict) -> str:
    """Each rule at its defaults and tuned, side by side (Schmidt et al. 2021)."""
    per = metrics["problems"][pname]
    rows = [
        (
            rule,
            str(e["defaults"]["options"]),
            f"{_num(e['defaults']['test_mean'])} ± {_num(e['defaults']['test_std'])}",
            str(e["options"]),
            f"{_num(e['test_mean'])} ± {_num(e['test_std'])}",
            f"{e['defaults']['reached']} / {e['reached']}",
        )
        for rule, e in per.items()
        if "defaults" in e
    ]
    return f"<h3>{_e(pname)}</h3>" + _table(DEFAULTS_HEAD, rows)


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
        CENTRED if plan.get("centre_lr") else UNCENTRED,
    ]
    if metrics["warnings"]:
        parts.append(
            "<h2 class=warn>Warnings</h2><ul>"
            + "".join(f"<li class=warn>{_e(w)}</li>" for w in metrics["warnings"])
            + "</ul>"
        )
    parts.append(_overall(metrics))
    parts += [_ranking(p, rows, metrics) for p, rows in metrics["ranking"].items()]
    parts.append(
        "<h2>At the defaults and tuned</h2><p>Each rule with its default settings "
        "(no weight decay) and with the tuned ones, on the same seeds: what tuning "
        'buys, as Schmidt et al. 2021 ("Descending through a Crowded Valley") compare '
        "rules.</p>"
    )
    parts += [_defaults_vs_tuned(p, metrics) for p in metrics["problems"]]
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
