"""Annealed Gaussian gradient noise, around any update rule (the :func:`add_noise` transform)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.optim.transforms import add_noise


class GradientNoise(Optimizer):
    r"""Add annealed Gaussian noise to the gradients, then run ``optimizer``.

    Equation (t = steps the wrapped rule has taken before this one, from 0)::

        g~ = g + N(0, sigma_t^2),   sigma_t^2 = eta / (1 + t)^gamma
        optimizer.update(params, g~)

    The noise is drawn with ``rng.standard_normal`` in the gradients' dtype, for
    all parameters at once, in the order of the ``params`` keys, into a
    reusable buffer: the caller's gradient arrays are never written to, and
    when the parameters share one contiguous buffer the noisy gradients do too,
    so the wrapped rule keeps its one-pass update. ``lr``, ``t``, ``state`` and
    the rest are those of the wrapped rule; :meth:`state_dict` adds the state
    of ``rng`` (as unsigned 32-bit words), so a resumed run draws the same noise.

    Paper: Neelakantan et al., "Adding Gradient Noise Improves Learning for
    Very Deep Networks", arXiv:1511.06807, 2015.
    Defaults: ``eta=0.01, gamma=0.55`` (the paper's; it also tries eta 0.3, 1.0);
    ``rng`` a ``numpy.random.Generator`` or an int seed (None means seed 0).
    PyTorch: none in ``torch.optim``; the same as adding
    ``torch.randn_like(p.grad) * sigma_t`` to every ``p.grad`` before ``step()``.

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> from trainlab.optim import SGD
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = GradientNoise(SGD(lr=0.1), eta=0.01, rng=0)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8934, -1.8995])
    """

    def __init__(
        self,
        optimizer: Optimizer,
        eta: float = 0.01,
        gamma: float = 0.55,
        rng: np.random.Generator | int | None = None,
    ):
        if not isinstance(optimizer, Optimizer):
            raise ConfigError(
                f"GradientNoise wraps a trainlab optimizer, got "
                f"{type(optimizer).__name__}; build one with create(name)"
            )
        self.optimizer = optimizer
        self._noise = add_noise(eta, gamma, rng)
        self.eta, self.gamma, self.rng = self._noise.eta, self._noise.gamma, self._noise.rng

    # the wrapped rule's attributes, so trainers and schedules see one optimizer
    lr = property(lambda self: self.optimizer.lr, lambda self, v: setattr(self.optimizer, "lr", v))
    t = property(lambda self: self.optimizer.t)
    skipped = property(lambda self: self.optimizer.skipped)
    state = property(lambda self: self.optimizer.state)

    def sigma(self, t: int) -> float:
        """Standard deviation of the noise added at the step after ``t`` steps."""
        return self._noise.sigma(t)

    def update(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> None:
        keys = self._check(params, grads)
        self._noise.t = self.optimizer.t  # steps the wrapped rule has taken
        noisy = self._noise([np.asarray(grads[k]) for k in keys], [params[k] for k in keys])
        self.optimizer.update(params, dict(zip(keys, noisy, strict=False)))

    def hyperparameters(self) -> dict[str, Any]:
        return {
            "rule": type(self.optimizer).__name__,
            **self.optimizer.hyperparameters(),
            "eta": self.eta,
            "gamma": self.gamma,
        }

    def state_dict(self) -> dict[str, np.ndarray]:
        out = self.optimizer.state_dict()
        out.update({f"noise/rng/{k}": v for k, v in _words(self.rng.bit_generator.state).items()})
        return out

    def load_state_dict(self, sd: dict[str, np.ndarray]) -> None:
        self.optimizer.load_state_dict({k: v for k, v in sd.items() if not k.startswith("noise/")})
        words = {k[len("noise/rng/") :]: v for k, v in sd.items() if k.startswith("noise/rng/")}
        self.rng.bit_generator.state = _unwords(self.rng.bit_generator.state, words)


def _words(state: Mapping[str, Any], prefix: str = "") -> dict[str, np.ndarray]:
    """A bit generator's state as numeric arrays: ints become uint32 words
    (least significant first), arrays stay, names (strings) are left out."""
    out = {}
    for k, v in state.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(_words(v, key + "/"))
        elif isinstance(v, np.ndarray):
            out[key] = v.copy()
        elif not isinstance(v, str):
            v, words = int(v), []
            if v < 0:
                raise ConfigError(f"cannot store negative rng state field {key}")
            while True:
                words.append(v & 0xFFFFFFFF)
                v >>= 32
                if not v:
                    break
            out[key] = np.array(words, dtype=np.uint32)
    return out


def _unwords(
    template: Mapping[str, Any], arrays: dict[str, np.ndarray], prefix: str = ""
) -> dict[str, Any]:
    """Inverse of :func:`_words`, shaped after ``template`` (the current state)."""
    new: dict[str, Any] = {}
    for k, v in template.items():
        key = prefix + k
        if isinstance(v, dict):
            new[k] = _unwords(v, arrays, key + "/")
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
