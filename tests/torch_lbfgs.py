"""``torch.optim.LBFGS`` on a landscape function, in float64: what trainlab's LBFGS
is compared with, step by step (tests/optim) and as a drawn path (tests/landscape)."""

from __future__ import annotations

import numpy as np
import torch


def torch_landscape_steps(f, kw: dict, start, steps: int) -> np.ndarray:
    """Rows ``(x, y, loss at the start of the step)`` after each ``step(closure)`` of
    ``torch.optim.LBFGS(**kw)`` on ``f`` (its analytic gradient), until one is not finite."""

    def scalar(v) -> torch.Tensor:
        return torch.tensor(float(v), dtype=torch.float64)

    tx, ty = (scalar(v).requires_grad_() for v in start)
    topt = torch.optim.LBFGS([tx, ty], **kw)

    def closure():
        x, y = float(tx.detach()), float(ty.detach())
        gx, gy = f.grad(x, y)
        tx.grad, ty.grad = scalar(gx), scalar(gy)
        return scalar(f.value(x, y))

    rows = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            loss = float(topt.step(closure))
            row = [float(tx.detach()), float(ty.detach()), loss]
            if not np.all(np.isfinite(row)):  # a function unbounded below (the saddle)
                break
            rows.append(row)
    return np.array(rows, dtype=np.float64).reshape(-1, 3)
