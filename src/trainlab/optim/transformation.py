"""The protocol of a gradient transformation: an ``(init, update)`` pair with explicit state.

In the spirit of optax, a transformation is two functions::

    state = transformation.init(params)
    grads = transformation.update(grads, state, params, step)

``params`` and ``grads`` are lists of arrays of the same shapes (one per
parameter, or the one flat buffer of :class:`trainlab.nn.MultiLayerNet`).
``update`` returns the gradient to use next: the same arrays changed in place
(clipping, on arrays its caller owns) or new arrays (the others, which never
write to their input). ``state`` is a dict of arrays (or a
``numpy.random.Generator``) that ``update`` changes in place; it is what a
checkpoint keeps (:func:`save_state`, :func:`restore_state`). ``step`` says
what the update rule knows about the step under way (:class:`Step`).

:func:`chain` is one transformation that runs others in the order given; an
update rule (:class:`trainlab.optim.Optimizer`) is such a chain ending in the
rule's own step.

>>> import numpy as np
>>> from trainlab.optim.transforms import clip_by_norm, negate
>>> g, w = [np.array([3.0, 4.0])], [np.array([1.0, 1.0])]
>>> both = chain(negate(), clip_by_norm(1.0))
>>> both.update(g, both.init(w), w, Step(lr=0.1))[0]
array([-0.6, -0.8])
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainlab.errors import ConfigError

#: a transformation's state: names → arrays (or a random generator), changed in place
State = dict[str, Any]


@dataclass
class Step:
    """What a transformation may read about the step under way.

    Attributes:
        lr: the update rule's learning rate for this step (decoupled weight decay
            scales by it).
        t: the steps the rule has taken before this one (gradient noise anneals by it).
        norm: the gradient norm that the first transformation measuring it saw
            (clipping, the norm stop), for the trainer's records; None until then.
    """

    lr: float = 1.0
    t: int = 0
    norm: float | None = None


class Transformation:
    """Base of the gradient transformations: subclasses write :meth:`update`
    (and :meth:`init` when they keep state)."""

    #: the name of its state in a rule's ``state_dict`` (unique in a chain)
    name: str = "transform"
    #: True when it measures the gradient norm (kept in ``step.norm``)
    measures: bool = False

    def init(self, params: list[np.ndarray]) -> State:
        """The state before the first step (none by default)."""
        return {}

    def update(
        self, grads: list[np.ndarray], state: State, params: list[np.ndarray], step: Step
    ) -> list[np.ndarray]:
        """The transformed gradient; ``state`` is changed in place."""
        raise NotImplementedError

    def describe(self, rule: str, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """How a rule with this transformation in its chain is named in a run
        folder's ``described``: by default, as the rule alone."""
        return rule, settings


class chain(Transformation):  # noqa: N801 (a transformation is named for what it does)
    """One transformation that applies ``parts`` in the order given; its state
    holds each part's under the part's name (``noise``, or ``noise-2`` for a second)."""

    def __init__(self, *parts: Transformation) -> None:
        for part in parts:
            if not isinstance(part, Transformation):
                raise ConfigError(
                    f"a chain holds gradient transformations (trainlab.optim.transforms), "
                    f"got {type(part).__name__}"
                )
        self.parts = parts
        self.keys: tuple[str, ...] = ()
        for part in parts:
            key, n = part.name, 1
            while key in self.keys:
                n += 1
                key = f"{part.name}-{n}"
            self.keys += (key,)

    def init(self, params: list[np.ndarray]) -> State:
        return {key: part.init(params) for key, part in zip(self.keys, self.parts, strict=True)}

    def update(
        self, grads: list[np.ndarray], state: State, params: list[np.ndarray], step: Step
    ) -> list[np.ndarray]:
        for key, part in zip(self.keys, self.parts, strict=True):
            grads = part.update(grads, state[key], params, step)
        return grads


class StatefulChain:
    """A :class:`chain` with its state, as a rule keeps the transformations it is
    given: each part's state is made at its first update, or restored from what
    :meth:`load_state_dict` read before that."""

    def __init__(self, parts: tuple[Transformation, ...] = (), keep: StatefulChain | None = None):
        self.chain = chain(*parts)
        self.state: State = {}
        self.saved: dict[str, dict[str, np.ndarray]] = {}  # loaded, for parts not begun
        if keep is not None:  # a part under the same name keeps its state
            self.state = {k: v for k, v in keep.state.items() if k in self.chain.keys}
            self.saved = {k: v for k, v in keep.saved.items() if k in self.chain.keys}

    @property
    def parts(self) -> tuple[Transformation, ...]:
        return self.chain.parts

    def update(
        self, grads: list[np.ndarray], params: list[np.ndarray], step: Step
    ) -> list[np.ndarray]:
        for key, part in zip(self.chain.keys, self.parts, strict=True):
            if key not in self.state:
                self.state[key] = part.init(params)
                if key in self.saved:
                    restore_state(self.state[key], self.saved.pop(key))
        return self.chain.update(grads, self.state, params, step)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Each part's state under ``<its name>/`` (``noise/rng/...``)."""
        out: dict[str, np.ndarray] = {}
        for key in self.chain.keys:
            if key in self.state:
                out.update(save_state(self.state[key], f"{key}/"))
            else:
                out.update({f"{key}/{k}": v for k, v in self.saved.get(key, {}).items()})
        return out

    def load_state_dict(self, sd: Mapping[str, np.ndarray]) -> None:
        """Read each part's state from ``sd`` (other keys are left alone)."""
        for key in self.chain.keys:
            saved = {k[len(key) + 1 :]: v for k, v in sd.items() if k.startswith(f"{key}/")}
            if key in self.state:
                restore_state(self.state[key], saved)
            elif saved:
                self.saved[key] = saved


# -- state in checkpoints: numeric arrays only ------------------------------------------
def save_state(state: Mapping[str, Any], prefix: str = "") -> dict[str, np.ndarray]:
    """``state`` as a flat dict of numeric arrays, keys joined by ``/``: arrays as
    they are, a random generator as the words of its bit generator's state."""
    out: dict[str, np.ndarray] = {}
    for k, v in state.items():
        if isinstance(v, np.random.Generator):
            out.update(words(v.bit_generator.state, f"{prefix}{k}/"))
        elif isinstance(v, Mapping):
            out.update(save_state(v, f"{prefix}{k}/"))
        else:
            out[prefix + k] = np.array(v)
    return out


def restore_state(state: State, arrays: Mapping[str, np.ndarray], prefix: str = "") -> None:
    """Put what :func:`save_state` returned back into ``state`` (in place)."""
    for k, v in state.items():
        key = prefix + k
        if isinstance(v, np.random.Generator):
            v.bit_generator.state = unwords(v.bit_generator.state, arrays, key + "/")
        elif isinstance(v, dict):
            restore_state(v, arrays, key + "/")
        elif key not in arrays:
            raise ConfigError(f"saved state has no {key}; it was saved by another chain")
        elif isinstance(v, np.ndarray):
            v[...] = arrays[key]
        else:
            state[k] = type(v)(arrays[key])


def fresh_generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A generator of its own: a copy of ``rng``, or seeded by it (None means 0)."""
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(0 if rng is None else int(rng))
    if not isinstance(rng, np.random.Generator):
        raise ConfigError(
            f"rng must be a numpy.random.Generator or an int seed, got {type(rng).__name__}"
        )
    return copy.deepcopy(rng)


def words(state: Mapping[str, Any], prefix: str = "") -> dict[str, np.ndarray]:
    """A bit generator's state as numeric arrays: ints become uint32 words
    (least significant first), arrays stay, names (strings) are left out."""
    out = {}
    for k, v in state.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(words(v, key + "/"))
        elif isinstance(v, np.ndarray):
            out[key] = v.copy()
        elif not isinstance(v, str):
            v, parts = int(v), []
            if v < 0:
                raise ConfigError(f"cannot store negative rng state field {key}")
            while True:
                parts.append(v & 0xFFFFFFFF)
                v >>= 32
                if not v:
                    break
            out[key] = np.array(parts, dtype=np.uint32)
    return out


def unwords(
    template: Mapping[str, Any], arrays: Mapping[str, np.ndarray], prefix: str = ""
) -> dict[str, Any]:
    """Inverse of :func:`words`, shaped after ``template`` (the current state)."""
    new: dict[str, Any] = {}
    for k, v in template.items():
        key = prefix + k
        if isinstance(v, dict):
            new[k] = unwords(v, arrays, key + "/")
        elif isinstance(v, str):
            new[k] = v
        elif key not in arrays:
            raise ConfigError(
                f"saved rng state has no field {key}; it was saved from a different bit generator"
            )
        elif isinstance(v, np.ndarray):
            new[k] = np.asarray(arrays[key], dtype=v.dtype)
        else:
            new[k] = sum(int(w) << (32 * i) for i, w in enumerate(arrays[key]))
    return new
