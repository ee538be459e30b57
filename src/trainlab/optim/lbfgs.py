"""L-BFGS: a quasi-Newton step from the last few gradient differences, with a closure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.linesearch import Point, strong_wolfe
from trainlab.validate import check_count, check_positive

#: ``closure() -> (loss, grads)``: the loss and gradients at the current ``params``
Closure = Callable[[], tuple[float, dict[str, Any]]]


class LBFGS:
    r"""Limited-memory BFGS, in PyTorch's form.

    Equations (all parameters as one flat vector ``x``, gradient ``g``; the memory
    holds the last ``history_size`` pairs ``s = x_new - x``, ``y = g_new - g``
    with ``rho = 1 / (y.s)``, kept only when ``y.s > 1e-10``)::

        q <- -g
        for the pairs, newest first:   a_i <- rho_i s_i.q;   q <- q - a_i y_i
        r <- H0 * q                    H0 = (y.s) / (y.y) of the newest pair
        for the pairs, oldest first:   b_i <- rho_i y_i.r;   r <- r + (a_i - b_i) s_i
        d <- r                         (d = -g at the very first iteration)
        x <- x + t d                   t = lr, or the strong-Wolfe step

    One idea: the change of the gradient between two points tells how curved the
    loss is along the step between them; a few such pairs make an estimate of the
    inverse Hessian that turns the gradient into a Newton-like step, in memory
    proportional to ``history_size`` times the number of weights.

    Why a closure and not ``update(params, grads)``: one ``step`` runs up to
    ``max_iter`` iterations, and the line search tries several points along each
    direction; each needs the loss and the gradient *at that point*, so the rule
    must be able to evaluate the loss itself. ``step(params, closure)`` moves the
    arrays in ``params`` in place and calls ``closure()``, which returns the loss
    and the gradients (a dict with ``params``'s keys) at their current values.

    A step stops early when the largest gradient element is at most
    ``tolerance_grad``, or when the step, its slope or the loss change fall below
    ``tolerance_change``; after ``max_iter`` iterations or ``max_eval`` closure calls.

    Paper: Liu & Nocedal, "On the limited memory BFGS method for large scale
    optimization", Mathematical Programming 45, 1989; the line search: Nocedal &
    Wright, "Numerical Optimization", 2006 (:mod:`trainlab.optim.linesearch`).
    Defaults: ``lr=1, max_iter=20, max_eval=max_iter * 5 // 4, tolerance_grad=1e-7,
    tolerance_change=1e-9, history_size=100, line_search_fn=None`` (PyTorch's).
    PyTorch: ``torch.optim.LBFGS(params, lr, max_iter, max_eval, tolerance_grad,
    tolerance_change, history_size, line_search_fn)`` (``from_torch('LBFGS', ...)``);
    the parameters are flattened in the order of ``params``'s keys.

    In training (``trainlab train --optimizer lbfgs``, the benchmark, the search)
    each batch is one ``step`` whose closure evaluates that batch. Typical lr with
    the fixed step: about 0.5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems (10 epochs,
    docs/search-and-benchmark.md); torch's ``lr=1`` diverges there, and on one
    Fashion-MNIST seed every rate diverged or stayed at chance. The strong-Wolfe
    line search chooses its own step.

    Example: two steps on the bowl ``f(W) = |W|^2 / 2`` (gradient ``W``) from
    ``W = [1, -2]``: the first a gradient step of ``lr / sum|g| = 0.1 / 3``, the
    second ``lr`` times the Newton step (the memory has learnt the Hessian, 1).
    With the line search, one step lands in the minimum.

    >>> import numpy as np
    >>> params = {"W": np.array([1.0, -2.0])}
    >>> def closure():
    ...     return 0.5 * float(params["W"] @ params["W"]), {"W": params["W"].copy()}
    >>> opt = LBFGS(lr=0.1, max_iter=1)
    >>> for step in range(2):
    ...     loss = opt.step(params, closure)
    >>> params["W"].round(4)
    array([ 0.87, -1.74])
    >>> round(LBFGS(line_search_fn="strong_wolfe").step(params, closure), 5)
    1.89225
    >>> params["W"].round(4)
    array([0., 0.])
    """

    lr_vs_adamw = 0.5

    def __init__(
        self,
        lr: float = 1.0,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        self.lr = check_positive("lr", lr)
        self.max_iter = check_count("max_iter", max_iter)
        self.max_eval = check_count(
            "max_eval", self.max_iter * 5 // 4 if max_eval is None else max_eval
        )
        self.tolerance_grad = check_positive("tolerance_grad", tolerance_grad, allow_zero=True)
        self.tolerance_change = check_positive(
            "tolerance_change", tolerance_change, allow_zero=True
        )
        self.history_size = check_count("history_size", history_size)
        if line_search_fn not in (None, "strong_wolfe"):
            raise ConfigError(
                f"line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}"
            )
        self.line_search_fn = line_search_fn
        self.func_evals = 0  # closure calls, all steps together
        self.n_iter = 0  # iterations, all steps together
        self.d: np.ndarray | None = None  # the last direction
        self.t = 0.0  # the last step length along it
        self.prev_flat_grad = np.zeros(0)
        self.prev_loss = 0.0
        self.old_dirs: list[np.ndarray] = []  # the y's
        self.old_stps: list[np.ndarray] = []  # the s's
        self.ro: list[float] = []
        self.H_diag = 1.0

    # -- one step: up to max_iter iterations ------------------------------------
    def step(self, params: dict[str, np.ndarray], closure: Closure) -> float:
        """Move ``params`` in place; returns the loss at the start of the step."""
        loss, flat_grad = _evaluate(params, closure)
        first_loss, evals = loss, 1
        self.func_evals += 1
        if np.max(np.abs(flat_grad)) <= self.tolerance_grad:
            return first_loss
        for n_iter in range(1, self.max_iter + 1):
            self.n_iter += 1
            d = self.d = self._direction(flat_grad)
            self.prev_flat_grad, self.prev_loss = flat_grad.copy(), loss
            t = self.t = self._first_trial(flat_grad)
            gtd = float(flat_grad @ d)
            if gtd > -self.tolerance_change:  # not a descent direction any more
                break
            if self.line_search_fn == "strong_wolfe":
                start = Point(t, loss, flat_grad, gtd)
                end, calls = self._line_search(params, closure, start, self.max_eval - evals)
                loss, flat_grad, t = end.f, end.g, end.t
                self.t = t
                _add_step(params, t, d)
            else:
                calls = 0
                _add_step(params, t, d)
                if n_iter != self.max_iter:  # no use evaluating after the last one
                    loss, flat_grad = _evaluate(params, closure)
                    calls = 1
            evals += calls
            self.func_evals += calls
            if self._converged(n_iter, evals, flat_grad, d * t, loss):
                break
        return first_loss

    def _first_trial(self, flat_grad: np.ndarray) -> float:
        """The first step length: ``lr``, scaled down by ``1 / sum|g|`` at the very start."""
        if self.n_iter == 1:
            return float(min(1.0, 1.0 / np.sum(np.abs(flat_grad))) * self.lr)
        return self.lr

    def _line_search(
        self, params: dict[str, np.ndarray], closure: Closure, start: Point, max_ls: int
    ) -> tuple[Point, int]:
        """The strong-Wolfe step along ``self.d``; ``params`` end where they began."""
        assert self.d is not None
        d, x = self.d, [p.copy() for p in params.values()]

        def evaluate(t: float) -> tuple[float, np.ndarray]:
            _add_step(params, t, d)
            out = _evaluate(params, closure)
            for p, x0 in zip(params.values(), x, strict=True):
                p[...] = x0
            return out

        return strong_wolfe(evaluate, d, start, max_ls)

    def _converged(
        self, n_iter: int, evals: int, flat_grad: np.ndarray, step: np.ndarray, loss: float
    ) -> bool:
        return (
            n_iter == self.max_iter
            or evals >= self.max_eval
            or bool(np.max(np.abs(flat_grad)) <= self.tolerance_grad)
            or bool(np.max(np.abs(step)) <= self.tolerance_change)
            or abs(loss - self.prev_loss) < self.tolerance_change
        )

    # -- the direction: the two-loop recursion ----------------------------------
    def _direction(self, flat_grad: np.ndarray) -> np.ndarray:
        if self.n_iter == 1:
            self.old_dirs, self.old_stps, self.ro, self.H_diag = [], [], [], 1.0
            return -flat_grad
        assert self.d is not None
        y, s = flat_grad - self.prev_flat_grad, self.d * self.t
        ys = float(y @ s)
        if ys > 1e-10:  # keep the pair only where the curvature is positive
            if len(self.old_dirs) == self.history_size:
                del self.old_dirs[0], self.old_stps[0], self.ro[0]
            self.old_dirs.append(y)
            self.old_stps.append(s)
            self.ro.append(1.0 / ys)
            self.H_diag = ys / float(y @ y)
        q = -flat_grad
        al = [0.0] * len(self.old_dirs)
        for i in reversed(range(len(self.old_dirs))):
            al[i] = float(self.old_stps[i] @ q) * self.ro[i]
            q -= al[i] * self.old_dirs[i]
        r = q * self.H_diag
        for i in range(len(self.old_dirs)):
            be_i = float(self.old_dirs[i] @ r) * self.ro[i]
            r += (al[i] - be_i) * self.old_stps[i]
        return r

    # -- persistence -------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Flat dict of numeric arrays, ready for ``np.savez`` (the memory as
        ``old_dirs``/``old_stps``, one row per pair)."""
        out = {k: np.array(getattr(self, k)) for k in _SCALARS}
        if self.d is not None:
            n = self.d.size
            out["d"], out["prev_flat_grad"] = self.d.copy(), self.prev_flat_grad.copy()
            out["old_dirs"] = np.array(self.old_dirs).reshape(-1, n)
            out["old_stps"] = np.array(self.old_stps).reshape(-1, n)
            out["ro"] = np.array(self.ro, dtype=np.float64)
        return out

    def load_state_dict(self, sd: dict[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` returned."""
        for k in _SCALARS:
            setattr(self, k, type(getattr(self, k))(sd[k]))
        self.d = np.array(sd["d"]) if "d" in sd else None
        if self.d is not None:
            self.prev_flat_grad = np.array(sd["prev_flat_grad"])
            self.old_dirs = [np.array(row) for row in sd["old_dirs"]]
            self.old_stps = [np.array(row) for row in sd["old_stps"]]
            self.ro = [float(v) for v in sd["ro"]]

    def hyperparameters(self) -> dict[str, Any]:
        """The settings of this rule (what ``__init__`` took)."""
        return {k: getattr(self, k) for k in _OPTIONS}

    def __repr__(self) -> str:
        hp = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"LBFGS({hp})"


_OPTIONS = (
    "lr",
    "max_iter",
    "max_eval",
    "tolerance_grad",
    "tolerance_change",
    "history_size",
    "line_search_fn",
)
_SCALARS = ("lr", "func_evals", "n_iter", "t", "prev_loss", "H_diag")


def _evaluate(params: dict[str, np.ndarray], closure: Closure) -> tuple[float, np.ndarray]:
    """The loss and the gradient as one flat vector, in ``params``'s order."""
    loss, grads = closure()
    if set(grads) != set(params):
        raise ConfigError(
            f"the closure returned gradients for {sorted(grads)}, expected {sorted(params)}"
        )
    return float(loss), np.concatenate([np.ravel(grads[k]) for k in params])


def _add_step(params: dict[str, np.ndarray], t: float, d: np.ndarray) -> None:
    """``x <- x + t d`` on the arrays in ``params``."""
    off = 0
    for p in params.values():
        p += t * d[off : off + p.size].reshape(p.shape)
        off += p.size
