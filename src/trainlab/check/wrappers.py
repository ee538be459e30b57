"""trainlab's rules behind the book's interface, each changed in one way.

Each wrapper holds a real trainlab rule and changes one thing about how it is
called: it negates the gradient, scales the learning rate, starts afresh every
call, puts new arrays into ``params``, writes into ``grads``, pairs or keeps
state by position, shares state between objects, or ignores a change of ``lr``.
The catalogue (:mod:`.catalogue`) builds its causes from them.
"""

from __future__ import annotations

import numpy as np


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
        for key in params:
            if key in self.shared:
                self.inner.state[key] = self.shared[key]
        self.inner.update(params, grads)
        for key in params:
            self.shared.setdefault(key, self.inner.state[key])


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
