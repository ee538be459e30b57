"""Different rules for different parameters: a partition of ``params`` by name or shape.

>>> import numpy as np
>>> from trainlab.optim import create
>>> opt = Partition([
...     ("b*", create("sgd", lr=0.1)),                         # no decay on biases
...     ("*", create("adamw", lr=0.1, weight_decay=0.1)),      # AdamW on the rest
... ])
>>> params = {"W1": np.ones((2, 2)), "b1": np.ones(2)}
>>> opt.update(params, {"W1": np.ones((2, 2)), "b1": np.ones(2)})
>>> params["b1"], params["W1"][0].round(4)
(array([0.9, 0.9]), array([0.89, 0.89]))
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim import engine
from trainlab.optim.base import Optimizer
from trainlab.optim.schedulefree import TrainEvalSwitch

#: which parameters a group takes: a glob on the name (``"W*"``), or a test
#: ``select(name, array) -> bool`` (``lambda name, p: p.ndim == 2``)
Selector = str | Callable[[str, np.ndarray], bool]


class Partition(Optimizer):
    """Each parameter goes to the first group whose selector takes it, and is
    updated by that group's rule; ``update(params, grads)`` takes the whole dict.

    The transformations given to the partition itself (the trainer's clipping,
    the run spec's chain) run first, on the whole gradient; then each rule runs
    its own chain (its options, the transformations it was given) and its step
    on its parameters, as if it were run alone on them. ``lr`` is the rate of
    the ``lead`` group (by default the last, the rule for the rest); setting it
    (a schedule) scales every group's rate by the same factor. Every rule's state is in
    :meth:`state_dict`, under ``rules/<group>/``. :meth:`train` and :meth:`eval`
    switch the weights of each group whose rule has them (:class:`TrainEvalSwitch`).
    """

    def __init__(
        self,
        groups: Sequence[tuple[Selector, Optimizer]],
        nonfinite: str = "raise",
        lead: int = -1,
    ):
        if not groups or not all(
            isinstance(rule, Optimizer) and (isinstance(sel, str) or callable(sel))
            for sel, rule in groups
        ):
            raise ConfigError(
                "a partition takes (selector, rule) pairs: a name pattern such as 'W*' "
                "or a test select(name, array), and a rule made by create(name)"
            )
        self.selectors = [sel for sel, _ in groups]
        self.rules = [rule for _, rule in groups]
        self._rates = [rule.lr for rule in self.rules]  # as given: a schedule scales them
        self._lead = self._rates[lead]
        super().__init__(self._lead, nonfinite=nonfinite)
        self._members: tuple[Any, list[list[str]]] | None = None

    def groups(self, params: dict[str, np.ndarray]) -> list[list[str]]:
        """The names of the parameters of each group, in ``params``' order."""
        out: list[list[str]] = [[] for _ in self.rules]
        for name, p in params.items():
            for i, sel in enumerate(self.selectors):
                if fnmatch.fnmatchcase(name, sel) if isinstance(sel, str) else sel(name, p):
                    out[i].append(name)
                    break
            else:
                raise ConfigError(
                    f"no group of the partition takes parameter {name!r}; "
                    "end it with a group for the rest ('*')"
                )
        return out

    def _update_all(self, plan: engine.Plan, g: list[np.ndarray]) -> None:
        if self._members is None or self._members[0] is not plan:
            self._members = (plan, self.groups(plan.params))
        grads = dict(zip(plan.keys, engine.split(plan, g), strict=True))
        lead = self._lead
        for rule, rate, names in zip(self.rules, self._rates, self._members[1], strict=True):
            rule.lr = rate if self.lr == lead else self.lr * (rate / lead)
            if names:
                rule.update({k: plan.params[k] for k in names}, {k: grads[k] for k in names})

    def train(self, params: dict[str, np.ndarray]) -> None:
        """Each switching group's weights where its gradients are taken."""
        self._switch("train", params)

    def eval(self, params: dict[str, np.ndarray]) -> None:
        """Each switching group's weights to evaluate or save."""
        self._switch("eval", params)

    def _switch(self, mode: str, params: dict[str, np.ndarray]) -> None:
        for rule, names in zip(self.rules, self.groups(params), strict=True):
            if isinstance(rule, TrainEvalSwitch):
                getattr(rule, mode)({k: params[k] for k in names})

    def state_dict(self) -> dict[str, np.ndarray]:
        out = super().state_dict()
        for i, rule in enumerate(self.rules):
            out.update({f"rules/{i}/{k}": v for k, v in rule.state_dict().items()})
        return out

    def load_state_dict(self, sd: dict[str, np.ndarray]) -> None:
        super().load_state_dict(sd)
        for i, rule in enumerate(self.rules):
            prefix = f"rules/{i}/"
            rule.load_state_dict(
                {k[len(prefix) :]: v for k, v in sd.items() if k.startswith(prefix)}
            )

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{sel if isinstance(sel, str) else getattr(sel, '__name__', 'select')}: {rule!r}"
            for sel, rule in zip(self.selectors, self.rules, strict=True)
        )
        return f"Partition({parts})"
