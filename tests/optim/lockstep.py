"""A trainlab rule and a torch-side reference stepped together on the same random
gradients: the largest difference of the parameters over every step."""

from __future__ import annotations

import numpy as np
import torch


def lockstep(ref, tparams, opt, start, rng, steps, new_lr=None, also=None) -> float:
    """Step ``ref`` (a torch optimizer over ``tparams``) and ``opt`` (trainlab, on
    copies of ``start``) ``steps`` times with gradients drawn from ``rng``; at half
    way both take ``new_lr`` when given. ``also(i, t, mine)`` returns more
    differences to count (e.g. ASGD's averages). Asserts the weights moved."""
    shapes = [a.shape for a in start]
    mine = {f"w{i}": a.copy() for i, a in enumerate(start)}
    worst = 0.0
    for step in range(steps):
        if new_lr is not None and step == steps // 2:
            for group in ref.param_groups:
                group["lr"] = new_lr
            opt.lr = new_lr
        grads = [rng.standard_normal(s) for s in shapes]
        for t, g in zip(tparams, grads, strict=True):
            t.grad = torch.tensor(g)
        ref.step()
        opt.update(mine, {f"w{i}": g for i, g in enumerate(grads)})
        for i, t in enumerate(tparams):
            worst = max(worst, float(np.max(np.abs(t.detach().numpy() - mine[f"w{i}"]))))
            if also is not None:
                worst = max(worst, also(i, t, mine))
    moved = max(float(np.max(np.abs(mine[f"w{i}"] - a))) for i, a in enumerate(start))
    assert moved > 1e-3, "the parameters hardly moved; the comparison would say little"
    return worst
