"""Update rules: ``opt = create('adam'); opt.update(params, grads)``."""

from __future__ import annotations

from trainlab.errors import ConfigError
from trainlab.optim.adam import Adam
from trainlab.optim.adaptive import AdaGrad, RMSprop
from trainlab.optim.base import Optimizer
from trainlab.optim.sgd import SGD, Momentum, Nesterov

#: lowercase name -> class; every rule trainlab has
RULES: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "rmsprop": RMSprop,
    "adam": Adam,
}


def create(name: str, **kwargs) -> Optimizer:
    """Build an update rule by its lowercase name, e.g. ``create('adam', lr=1e-3)``."""
    key = str(name).lower().replace("_", "").replace("-", "")
    cls = RULES.get(key)
    if cls is None:
        raise ConfigError(f"unknown optimizer {name!r}; choose one of {', '.join(RULES)}")
    try:
        return cls(**kwargs)
    except TypeError as exc:
        import inspect
        allowed = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "kw")]
        raise ConfigError(f"bad option for {key}: {exc}; options are "
                          f"{', '.join(allowed + ['weight_decay', 'nonfinite'])}") from None


__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam",
           "RULES", "create"]
