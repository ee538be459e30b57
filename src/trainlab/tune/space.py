"""Search spaces: ``--space lr=1e-6:1e-2:log`` → :class:`Param`; grids; narrowed ranges.

A spec is ``NAME=LOW:HIGH`` with optional flags ``:log`` (log-uniform, as the
notes sample ``10 ** np.random.uniform(-6, -2)``) and ``:int`` (whole numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim import create

#: where a searched name goes: the network, the trainer, or (any other name) the update rule
NET_KEYS = {"weight_decay": "weight_decay_lambda", "dropout": "dropout_ratio"}
TRAINER_KEYS = {"batch_size": "mini_batch_size"}
#: how the notes' listing names a parameter
LABELS = {"weight_decay": "weight decay"}


@dataclass(frozen=True)
class Param:
    name: str
    low: float
    high: float
    log: bool = False
    int: bool = False

    def warp(self, v):
        """Position on the sampling axis (log10 for log parameters)."""
        return np.log10(v) if self.log else np.asarray(v, dtype=float)

    def unwarp(self, u):
        return 10.0**u if self.log else u

    def distribution(self):
        from optuna.distributions import FloatDistribution, IntDistribution

        if self.int:
            return IntDistribution(int(self.low), int(self.high), log=self.log)
        return FloatDistribution(self.low, self.high, log=self.log)

    def spec(self) -> str:
        """The ``--space`` text for this range."""
        fmt = (lambda v: str(int(v))) if self.int else (lambda v: f"{v:.3g}")
        flags = (":log" if self.log else "") + (":int" if self.int else "")
        return f"{self.name}={fmt(self.low)}:{fmt(self.high)}{flags}"


def parse_param(text: str) -> Param:
    """``"lr=1e-6:1e-2:log"`` → ``Param('lr', 1e-6, 1e-2, log=True)``."""
    name, sep, rest = str(text).partition("=")
    name = name.strip()
    parts = [p.strip() for p in rest.split(":")]
    hint = "write NAME=LOW:HIGH[:log][:int], e.g. lr=1e-6:1e-2:log"
    if not sep or not name.isidentifier() or len(parts) < 2:
        raise ConfigError(f"malformed --space {text!r}; {hint}")
    flags = set(parts[2:])
    if not flags <= {"log", "int"} or len(flags) != len(parts) - 2:
        raise ConfigError(f"unknown flag in --space {text!r}; flags are :log and :int ({hint})")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise ConfigError(f"malformed --space {text!r}: bounds must be numbers; {hint}") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ConfigError(f"--space {name}: bounds must be finite, got {low}:{high}")
    if low >= high:
        what = "empty" if low == high else "inverted"
        raise ConfigError(
            f"--space {name}: range {parts[0]}:{parts[1]} is {what}; "
            "write the lower bound first and make it smaller than the upper"
        )
    if "log" in flags and low <= 0:
        raise ConfigError(f"--space {name}: a :log range needs LOW > 0, got {parts[0]}")
    if "int" in flags and (low != int(low) or high != int(high)):
        raise ConfigError(f"--space {name}: an :int range needs whole-number bounds")
    return Param(name, low, high, log="log" in flags, int="int" in flags)


def parse_space(specs) -> dict[str, Param]:
    space = {}
    for text in specs:
        p = parse_param(text)
        if p.name in space:
            raise ConfigError(f"--space {p.name} is given twice; keep one")
        space[p.name] = p
    if not space:
        raise ConfigError("the search space is empty; add --space NAME=LOW:HIGH[:log]")
    return space


def split_params(params: dict) -> tuple[dict, dict, dict]:
    """Sampled values → (network kwargs, trainer kwargs, update-rule kwargs)."""
    net, trainer, rule = {}, {}, {}
    for k, v in params.items():
        if k in NET_KEYS:
            net[NET_KEYS[k]] = v
        elif k in TRAINER_KEYS:
            trainer[TRAINER_KEYS[k]] = int(v)
        else:
            rule[k] = v
    return net, trainer, rule


def check_space(space: dict[str, Param], optimizer: str, fixed: dict | None = None) -> None:
    """Fail early if a bound is not a valid value for the rule, net or trainer."""
    for p in space.values():
        for bound in (p.low, p.high):
            value = int(bound) if p.int else bound
            if p.name == "dropout" and not 0.0 <= value < 1.0:
                raise ConfigError(f"--space dropout: bounds must lie in [0, 1), got {value}")
            if p.name in ("weight_decay",) and value < 0:
                raise ConfigError(f"--space weight_decay: bounds must be ≥ 0, got {value}")
            if p.name == "batch_size" and (not p.int or value < 1):
                raise ConfigError("--space batch_size needs whole numbers ≥ 1 and the :int flag")
            if p.name in NET_KEYS or p.name in TRAINER_KEYS:
                continue
            try:
                create(optimizer, **{**(fixed or {}), p.name: value})
            except ConfigError as exc:
                raise ConfigError(f"--space {p.name}: {exc}") from None


def grid_points(space: dict, trials: int, points: int | None = None) -> int:
    """Values per parameter: ``points``, or the most whose product fits in ``trials``."""
    return points or max(2, int(trials ** (1.0 / len(space)) + 1e-9))


def grid_values(p: Param, points: int) -> list:
    """``points`` values spread evenly on the sampling axis (ends included)."""
    u = np.linspace(p.warp(p.low), p.warp(p.high), points)
    values = [float(v) for v in p.unwarp(u)]
    values[0], values[-1] = p.low, p.high  # exact ends, free of rounding
    if p.int:
        values = sorted({int(round(v)) for v in values})
    return values


def _outward(v: float, up: bool) -> float:
    """Round to 3 significant digits away from the inside of a range."""
    if v == 0:
        return 0.0
    e = math.floor(math.log10(abs(v))) - 2
    m = v / 10.0**e
    m = math.ceil(m - 1e-9) if up else math.floor(m + 1e-9)
    r = float(f"{m}e{e}")
    while (r < v) if up else (r > v):
        m += 1 if up else -1
        r = float(f"{m}e{e}")
    return r


def narrow(p: Param, values, widen: float = 0.1) -> Param:
    """A smaller range for the next round: the span of ``values`` (the top trials'),
    widened by ``widen`` of that span on each side (on the log axis for log
    parameters), kept inside the original range, rounded outward to 3 digits."""
    u = p.warp(np.asarray(values, dtype=float))
    lo, hi = float(np.min(u)), float(np.max(u))
    span = hi - lo if hi > lo else widen * float(p.warp(p.high) - p.warp(p.low))
    low = max(p.low, _outward(float(p.unwarp(lo - widen * span)), up=False))
    high = min(p.high, _outward(float(p.unwarp(hi + widen * span)), up=True))
    if p.int:
        low, high = float(math.floor(low)), float(math.ceil(high))
        if low == high:
            low, high = max(p.low, low - 1), min(p.high, high + 1)
    return Param(p.name, low, high, p.log, p.int)
