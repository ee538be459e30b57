"""Annealed Gaussian gradient noise: any update rule with :class:`add_noise` in its chain."""

from __future__ import annotations

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.optim.transforms import add_noise


def GradientNoise(  # noqa: N802 (the name of a rule with noise, as run folders show it)
    optimizer: Optimizer,
    eta: float = 0.01,
    gamma: float = 0.55,
    rng: np.random.Generator | int | None = None,
) -> Optimizer:
    r"""``optimizer`` with annealed Gaussian noise added to its gradients, first.

    Equation (t = steps the wrapped rule has taken before this one, from 0)::

        g~ = g + N(0, sigma_t^2),   sigma_t^2 = eta / (1 + t)^gamma
        optimizer.update(params, g~)

    It is the rule itself, returned with :class:`~trainlab.optim.transforms.add_noise`
    at the end of the transformations it was given (so after clipping, as the
    run spec orders them): ``lr``, ``t`` and ``state`` are simply the rule's.
    The noise is drawn with ``rng.standard_normal`` (a copy of ``rng``, or
    seeded by it) in the gradients' dtype, for all parameters at once, in the
    order of the ``params`` keys, into a reusable buffer: the caller's gradient
    arrays are never written to, and the rule keeps its one-pass update. The
    generator's state is in the rule's ``state_dict()`` (``noise/rng/...``, as
    unsigned 32-bit words), so a resumed run draws the same noise.

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

    if not isinstance(optimizer, Optimizer):
        raise ConfigError(
            f"GradientNoise wraps a trainlab optimizer, got "
            f"{type(optimizer).__name__}; build one with create(name)"
        )
    return optimizer.with_transforms(add_noise(eta, gamma, rng))
