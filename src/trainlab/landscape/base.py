"""What a two-dimensional test function knows about itself: the base class.

Each function knows its minima (and the value there), a plotting window, a
domain that start points must lie in, a default start and number of steps,
whether its contours read better on a log scale, and default learning rates
per update rule (:attr:`Function.lrs`, completed by :func:`lr_for`). ``value``,
``grad`` and ``hessian`` work element-wise on arrays, so ``value(X, Y)`` on a
mesh gives the contours.
"""

from __future__ import annotations

#: a rule missing from a function's table borrows the entry of the rule it is
#: built on, times a factor measured on the eight built-in functions (at it the
#: paths neither stall at the start nor leave the window)
BORROWED = {
    "adamw": ("adam", 1.0),
    "amsgrad": ("adam", 1.0),
    "nadam": ("adam", 1.0),
    "swats": ("adam", 1.0),
    "ademamix": ("adam", 1.0),
    "adopt": ("adam", 1.0),
    "adamax": ("adam", 1.0),
    "adafactor": ("adam", 1.0),
    "soap": ("adam", 1.0),
    "schedulefreeadamw": ("adam", 1.0),
    "schedulefreesgd": ("sgd", 1.0),
    "asgd": ("sgd", 1.0),
    "rprop": ("adam", 0.3),  # lr is the first step's size, then grown or shrunk
    "lion": ("adam", 0.3),  # every weight moves by lr: Adam's largest step
    "lamb": ("adam", 0.1),  # steps of lr times the size of the weights
    "radam": ("sgd", 1.0),  # its first steps are SGD with momentum
    "muon": ("adam", 1.0),  # one lr chosen as for AdamW (no matrix here: it is AdamW)
}  # Adadelta and Prodigy keep their own lr: a factor on a step size they find


class Function:
    """Base class: subclasses define ``value``, ``grad`` and ``hessian``."""

    name = ""
    window = ((-1.0, 1.0), (-1.0, 1.0))  # (x range, y range) drawn
    domain = window  # start points must lie inside this box
    start = (0.5, 0.5)
    steps = 300
    minima: tuple = ()  # ((x, y), ...) global (or listed local) minima
    min_value: float | None = 0.0  # value at the minima; None if unbounded below
    saddles: tuple = ()
    log_scale = False  # draw contours of f - min on a log scale
    #: default learning rate per update rule: the best of a 25-point log grid plus
    #: 8 golden-section steps under the mean-value objective (see tune.py), from
    #: the default start and steps, rounded down to 1, 2, 3 or 5 times a power of ten
    lrs: dict = {}

    def value(self, x, y):
        raise NotImplementedError

    def grad(self, x, y):
        raise NotImplementedError

    def hessian(self, x, y):
        """((f_xx, f_xy), (f_xy, f_yy)) at (x, y)."""
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """The name that :func:`get_function` turns back into this function."""
        return self.name

    def __repr__(self) -> str:
        return f"<function {self.spec}>"


def lr_for(f, rule: str) -> float | None:
    """``rule``'s default learning rate on ``f``: its entry in ``f.lrs``, else the
    borrowed one (:data:`BORROWED`); None where there is neither."""
    table = getattr(f, "lrs", {}) or {}
    if rule in table:
        return float(table[rule])
    base, factor = BORROWED.get(rule, ("", 1.0))
    return float(table[base]) * factor if base in table else None
