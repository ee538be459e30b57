"""How a benchmark scores update rules, from the results of its studies.

* **time to target** (:func:`time_to_target`, :func:`steps_to_target`): the
  first epoch after the start at which the validation metric reaches the
  target, in epochs, in steps (both hardware-independent) and in CPU seconds
  of the training process;
* **automatic targets** (:func:`auto_target`): a problem without a target
  gets :data:`AUTO_FRACTION` of the best final validation accuracy any rule
  reached while tuning (for a loss or MSE: that best value divided by it);
* **performance profile** (:func:`profile`, Dolan & Moré 2002) on the fixed
  range τ ∈ [1, :data:`TAU_MAX`] as AlgoPerf, and its **area**
  (:func:`profile_area`): ``∫ ρ(τ) dτ / (τ_max − 1)``, 1 for a rule that is
  the fastest on every problem, 0 for one that never reaches a target;
* **ranking** (:func:`ranking`): per problem, the rules by mean test metric;
  a difference "exceeds the seed-to-seed spread" when the gap between two
  means is larger than the larger of their two sample standard deviations;
* **edge warnings** (:func:`edge_warnings`): a best value on the first or
  last grid point, or in the outer :data:`EDGE_SHARE` of a sampled range (log
  scale for log ranges), means the range may cut off the real optimum.
"""

from __future__ import annotations

import math

import numpy as np

AUTO_FRACTION = 0.95
TAU_MAX = 4.0
TAUS = np.linspace(1.0, TAU_MAX, 301)
EDGE_SHARE = 0.1


def _reached(metric: str, target, value) -> bool:
    if value is None or target is None or not np.isfinite(value):
        return False
    return value >= target if metric == "accuracy" else value <= target


def time_to_target(problem, val, times) -> tuple[float, float]:
    """(epochs, seconds) until the validation metric first reaches the target
    after at least one epoch; ``(inf, inf)`` if it never does."""
    for e in range(1, len(val)):
        if _reached(problem.metric, problem.target, val[e]):
            return float(e), float(times[e])
    return math.inf, math.inf


def steps_to_target(problem, val, steps) -> float:
    """Steps until the target is first reached (``inf`` if never)."""
    epochs, _ = time_to_target(problem, val, list(range(len(val))))
    return float(steps[int(epochs)]) if math.isfinite(epochs) else math.inf


def auto_target(metric: str, best: float) -> float:
    """The target of a problem that has none, from the best tuned value."""
    return AUTO_FRACTION * best if metric == "accuracy" else best / AUTO_FRACTION


def auto_target_text(metric: str) -> str:
    if metric == "accuracy":
        return (
            f"{AUTO_FRACTION:g} × the best final validation accuracy found while tuning (any rule)"
        )
    return f"the best final validation {metric} found while tuning (any rule) / {AUTO_FRACTION:g}"


def profile(times: dict, taus=None) -> tuple[np.ndarray, dict]:
    """Performance profile of ``times[problem][rule]`` (``inf`` = target missed).
    Returns ``(taus, {rule: share of problems within τ of the best rule})``."""
    rules = sorted({r for per in times.values() for r in per})
    ratios: dict[str, list[float]] = {r: [] for r in rules}
    for per in times.values():
        best = min(per.values())
        for r in rules:
            t = per.get(r, math.inf)
            if not math.isfinite(t):
                ratios[r].append(math.inf)
            else:
                ratios[r].append(t / best if best > 0 else (1.0 if t == 0 else math.inf))
    if taus is None:
        finite = [x for v in ratios.values() for x in v if math.isfinite(x)]
        taus = np.geomspace(1.0, max(2.0, 1.05 * max(finite, default=1.0)), 200)
    rho = {r: [float(np.mean(np.asarray(v) <= tau)) for tau in taus] for r, v in ratios.items()}
    return np.asarray(taus), rho


def profile_area(taus, values) -> float:
    """``∫ ρ dτ / (τ_max − 1)`` by the trapezoid rule over the given τ."""
    taus, values = np.asarray(taus, float), np.asarray(values, float)
    widths = np.diff(taus)
    return float(np.sum(widths * (values[1:] + values[:-1]) / 2) / (taus[-1] - taus[0]))


def ranking(per_rule: dict) -> list[dict]:
    """``per_rule[rule] = entry`` (``metric``, ``test_mean``, ``test_std``) → rows,
    best first, each saying whether its gap to the best exceeds the seed spread."""

    def key(item):
        mean = item[1]["test_mean"]
        mean = -math.inf if mean is None or not np.isfinite(mean) else mean
        return (
            -mean if item[1]["metric"] == "accuracy" else (math.inf if mean == -math.inf else mean)
        )

    rows = sorted(per_rule.items(), key=key)
    best_rule, best = rows[0]
    out = []
    for i, (rule, e) in enumerate(rows, 1):
        gap = abs(e["test_mean"] - best["test_mean"])
        spread = max(e["test_std"], best["test_std"])
        clear = bool(np.isfinite(gap) and gap > spread) if rule != best_rule else False
        out.append(
            {
                "rank": i,
                "rule": rule,
                "test_mean": e["test_mean"],
                "test_std": e["test_std"],
                "gap_to_best": gap if rule != best_rule else 0.0,
                "spread": spread,
                "exceeds_spread": clear,
                "verdict": (
                    "best"
                    if rule == best_rule
                    else f"worse than {best_rule} beyond the seed spread"
                    if clear
                    else f"tied with {best_rule} within the seed spread"
                ),
            }
        )
    return out


def edge_warnings(label: str, best: dict, space: dict) -> list[str]:
    """``space[name] = {"low", "high", "log", "grid"}``; a warning for each best value
    on an edge of its range."""
    out = []
    for name, value in best.items():
        s = space.get(name)
        if s is None or value is None:
            continue
        low, high = s["low"], s["high"]
        if s.get("grid"):
            edge = "bottom" if value <= low else "top" if value >= high else None
        else:
            f = (lambda v: math.log10(v)) if s.get("log") else (lambda v: v)
            u = (f(value) - f(low)) / (f(high) - f(low)) if high > low else 0.5
            edge = "bottom" if u < EDGE_SHARE else "top" if u > 1 - EDGE_SHARE else None
        if edge:
            out.append(
                f"{label}: best {name} {value:.3g} is at the {edge} of its range "
                f"[{low:g}, {high:g}]; widen the range to be sure the optimum is inside"
            )
    return out


def recommend(per_rule: dict, rows: list[dict]) -> dict:
    """The rule to use on one problem: the best mean test metric; among the rules
    tied with it within the seed spread whose mean is also within the best's own
    spread (not tied only through seeds of their own that failed), the one with
    the fewest median steps to target (then CPU seconds). Returns ``{"rule",
    "why", "tied"}``."""
    tied = [r["rule"] for r in rows if not r["exceeds_spread"]]
    near = [r["rule"] for r in rows if r["gap_to_best"] <= rows[0]["test_std"]]  # all tied
    pick = min(
        near,
        key=lambda r: (
            per_rule[r]["median_steps_to_target"],
            per_rule[r]["median_seconds_to_target"],
            [x["rule"] for x in rows].index(r),
        ),
    )
    best = rows[0]["rule"]
    if pick == best:
        why = f"best mean test {per_rule[best]['metric']}" + (
            f"; {', '.join(t for t in tied if t != best)} within the seed spread"
            if len(tied) > 1
            else "; the others are worse beyond the seed spread"
        )
    else:
        why = (
            f"tied with {best} on the test {per_rule[best]['metric']} within the seed "
            "spread, and fewer median steps to the target"
        )
    return {"rule": pick, "why": why, "tied": tied}
