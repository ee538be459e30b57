"""The closure a rule that steps with one (LBFGS) gets for a batch."""

from __future__ import annotations


def batch_closure(network, xb, tb, first: tuple):
    """``closure() -> (loss, grads)`` on the batch ``xb, tb``: its first call gives
    ``first``, the loss and gradients the trainer has already taken there, the
    later ones those at the parameters the rule has moved the network to."""
    pending = [first]

    def closure():
        if pending:
            return pending.pop()
        grads = network.gradient(xb, tb)
        return network.last_loss, grads

    return closure
