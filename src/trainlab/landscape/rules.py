"""The rules a landscape path can follow: every rule of :mod:`trainlab.optim`, LBFGS too.

A path takes one ``update(params, grads)`` per step. LBFGS cannot be such a rule
(:class:`~trainlab.optim.lbfgs.LBFGS` says why): it takes ``step(params, closure)``
and evaluates the function itself. :class:`ClosureSteps` is the one adapter that
draws it: each update is one ``step(closure)`` whose closure gives the function's
value and gradient at the current point, so the path is the point after each
step, as ``torch.optim.LBFGS`` would draw it (one step runs up to ``max_iter``
iterations; ``max_iter=1`` shows every iteration).

    >>> from trainlab.landscape import path
    >>> from trainlab.optim import create
    >>> path("bowl", create("lbfgs"), (-7, 2), 2).round(3)  # the first step lands
    array([[-7.,  2.],
           [ 0.,  0.],
           [ 0.,  0.]])
"""

from __future__ import annotations

import numpy as np

from trainlab import optim
from trainlab.optim import CLOSURE_RULES

#: name -> class: every rule a landscape path can follow
RULES = {**optim.RULES, **CLOSURE_RULES}


def rule_key(name: str) -> str:
    """The :data:`RULES` key for ``name``; ConfigError if there is none."""
    optim.rule_class(name)
    return optim.rule_key(name)


def options(name: str) -> list[str]:
    """The keyword options rule ``name`` takes, ``lr`` first."""
    return optim.options(optim.rule_class(name))


class ClosureSteps:
    """``update(params, grads)`` for a rule with ``step(params, closure)`` on ``function``.

    The gradients passed in are ignored: the closure evaluates the function and
    its gradient wherever the rule asks, the current point included.
    """

    def __init__(self, function, rule) -> None:
        self.function, self.rule = function, rule

    @property
    def lr(self) -> float:
        return float(self.rule.lr)

    def closure(self, params: dict) -> tuple[float, dict[str, np.ndarray]]:
        """``f`` and its gradient at ``params = {'x': ..., 'y': ...}``."""
        x, y = params["x"][()], params["y"][()]
        gx, gy = self.function.grad(x, y)
        grads = {"x": np.asarray(gx, dtype=np.float64), "y": np.asarray(gy, dtype=np.float64)}
        return float(self.function.value(x, y)), grads

    def update(self, params: dict, grads: dict) -> None:
        self.rule.step(params, lambda: self.closure(params))


def stepping(function, optimizer):
    """``optimizer`` if it has ``update(params, grads)``, else wrapped in :class:`ClosureSteps`."""
    return optimizer if hasattr(optimizer, "update") else ClosureSteps(function, optimizer)
