"""trainlab's rules behind the book's interface, each changed in one way.

Each wrapper holds a real trainlab rule and changes one thing about how it is
called: it negates the gradient, scales the learning rate, starts afresh every
call, puts new arrays into ``params``, writes into ``grads``, pairs or keeps
state by position, shares state between objects, ignores a change of ``lr``,
seeds the state with the first gradient, adds the weight decay to the
gradient, or steps weights of its own. :func:`without_eps` builds what
trainlab's options refuse: eps = 0. Where the rule is a partition (Muon with
AdamW), the state is its groups' rules' (:func:`owners`). The catalogue
(:mod:`.catalogue`) builds its causes from them.
"""

from __future__ import annotations

import numpy as np

from trainlab.optim import Partition


def owners(rule, params):
    """``(rule, keys)`` pairs: which rule keeps the state of which parameters. A
    partition (Muon with AdamW) keeps none itself; each of its groups' rules does."""
    if isinstance(rule, Partition):
        return list(zip(rule.rules, rule.groups(params), strict=True))
    return [(rule, list(params))]


class Wrapped:
    """A trainlab rule behind the book's interface, changed in one way."""

    def __init__(self, inner):
        self.inner = inner

    @property
    def lr(self):
        return self.inner.lr

    @lr.setter
    def lr(self, value):
        self.inner.lr = value


class LrAs(Wrapped):
    """The rule runs with ``f(lr)`` where the learner's object says ``lr``."""

    def __init__(self, inner, f):
        super().__init__(inner)
        self.f, self._lr = f, inner.lr
        inner.lr = f(inner.lr)

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = value
        self.inner.lr = self.f(value)

    def update(self, params, grads):
        self.inner.update(params, grads)


class Fresh(Wrapped):
    def __init__(self, make):
        super().__init__(make())
        self.make = make

    def update(self, params, grads):
        lr = self.inner.lr
        self.inner = self.make()
        self.inner.lr = lr
        self.inner.update(params, grads)


class Negated(Wrapped):
    def update(self, params, grads):
        self.inner.update(params, {k: -np.asarray(g) for k, g in grads.items()})


class Replacing(Wrapped):
    def update(self, params, grads):
        new = {k: np.array(p, dtype=np.float64) for k, p in params.items()}
        self.inner.update(new, grads)
        params.update(new)


class WritingGrads(Wrapped):
    def update(self, params, grads):
        self.inner.update(params, {k: np.array(g) for k, g in grads.items()})
        for g in grads.values():
            g *= self.inner.lr


class PairedByPosition(Wrapped):
    def update(self, params, grads):
        self.inner.update(params, dict(zip(params, grads.values(), strict=False)))


class StateByPosition(Wrapped):
    def update(self, params, grads):
        keys = list(params)
        self.inner.update(
            {str(i): params[k] for i, k in enumerate(keys)},
            {str(i): grads[k] for i, k in enumerate(keys)},
        )


class Idle(Wrapped):
    def update(self, params, grads):
        pass


class SharedState(Wrapped):
    """Every object built by one ``build`` shares the first one's per-key state,
    as a class attribute ``h = {}`` (or a default argument ``h={}``) does."""

    def __init__(self, inner, shared):
        super().__init__(inner)
        self.shared = shared

    def update(self, params, grads):
        groups = owners(self.inner, params)
        for rule, keys in groups:
            rule.state.update({key: self.shared[key] for key in keys if key in self.shared})
        self.inner.update(params, grads)
        for rule, keys in groups:
            for key in keys:
                self.shared.setdefault(key, rule.state[key])


def shared_state(make):
    shared: dict = {}
    return lambda lr=None: SharedState(make()(lr), shared)


class LrReadOnce(Wrapped):
    lr = None  # a plain attribute: changing it does not reach the rule

    def __init__(self, inner):
        super().__init__(inner)
        self.lr = inner.lr

    def update(self, params, grads):
        self.inner.update(params, grads)


GRADIENT, SQUARE = "g", "g·g"


class Seeded(Wrapped):
    """The state starts at the first gradient (``m = g``, ``h = g·g``), not at zeros.

    ``seeds`` maps a state name to what it starts at, :data:`GRADIENT` or
    :data:`SQUARE`; every other state starts where the rule starts it (Rprop's
    step sizes at lr). The rule's step then runs as usual, so an average ends
    its first step at ``g`` and a sum (AdaGrad's ``h``) at ``2·g·g``."""

    def __init__(self, inner, seeds):
        super().__init__(inner)
        self.seeds = seeds

    def update(self, params, grads):
        for rule, keys in owners(self.inner, params):
            for key in keys:
                if key not in rule.state:
                    rule.state[key] = self.seeded(rule.fresh_state(params[key]), grads[key])
        self.inner.update(params, grads)

    def seeded(self, state, g):
        """``state`` with each of :attr:`seeds` that it holds set from the first ``g``."""
        g = np.asarray(g, dtype=np.float64)
        first = {GRADIENT: g, SQUARE: g * g}
        for name, seed in self.seeds.items():
            if name in state:
                state[name][...] = first[seed]
        return state


class CoupledDecay(Wrapped):
    """Weight decay added to the gradient (``g + wd·W``), for a rule that decays
    the weights themselves; ``inner`` is built without decay."""

    def __init__(self, inner, weight_decay):
        super().__init__(inner)
        self.weight_decay = weight_decay

    def update(self, params, grads):
        decayed = {k: np.asarray(g) + self.weight_decay * params[k] for k, g in grads.items()}
        self.inner.update(params, decayed)


class OwnWeights(Wrapped):
    """The rule steps weights of its own and copies them into ``params``, never
    reading ``params`` after its first sight of a key: a schedule-free rule
    written as the paper writes it, ``W = (1 - beta) z + beta x`` from its own
    ``z`` and ``x``, whatever the weights were before the step."""

    def __init__(self, inner):
        super().__init__(inner)
        self.weights: dict = {}

    def update(self, params, grads):
        for key, p in params.items():
            self.weights.setdefault(key, np.array(p, dtype=np.float64))
        self.inner.update({k: self.weights[k] for k in params}, grads)
        for key, p in params.items():
            p[...] = self.weights[key]


def without_eps(rule, name="eps"):
    """``rule`` with eps = 0: a division by ``sqrt(v)`` alone, which trainlab's
    options refuse (``eps`` must be > 0), set here on the built rule (on each of a
    partition's rules that has an eps). ``name``: the rule's name for it."""
    for each in rule.rules if isinstance(rule, Partition) else [rule]:
        if hasattr(each, name):
            setattr(each, name, 0.0)
    return rule
