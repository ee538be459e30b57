"""Dropout, a layer with ``forward`` and ``backward`` in the book's style."""

from __future__ import annotations

import numpy as np


class Dropout:
    """Dropout (Srivastava et al., 2014; Hinton et al., arXiv:1207.0580).

    ``mode='notes'`` is the book's form: at train time each unit is kept with
    probability 1 - p and the dropped ones output 0; at test time every unit
    is kept and its output is scaled by (1 - p), so the expected signal matches.

    ``mode='inverted'`` scales at train time instead: the kept units are
    divided by (1 - p), and test time is the identity. The two give the same
    expected activations; the inverted form leaves inference untouched, which
    is what PyTorch's ``nn.Dropout`` does.
    """

    def __init__(
        self,
        dropout_ratio: float = 0.5,
        mode: str = "notes",
        rng: np.random.Generator | None = None,
    ) -> None:
        if not 0.0 <= dropout_ratio < 1.0:
            raise ValueError(f"dropout_ratio must be in [0, 1), got {dropout_ratio}")
        if mode not in ("notes", "inverted"):
            raise ValueError(f"dropout mode must be 'notes' or 'inverted', got {mode!r}")
        self.dropout_ratio, self.mode = dropout_ratio, mode
        self.rng = rng if rng is not None else np.random.default_rng()
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        keep = 1.0 - self.dropout_ratio
        if train_flg:
            self.mask = self.rng.random(x.shape, dtype=np.float32) > self.dropout_ratio
            if self.mode == "inverted":
                result: np.ndarray = x * (self.mask / x.dtype.type(keep))
                return result
            return x * self.mask
        return x * x.dtype.type(keep) if self.mode == "notes" else x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        assert self.mask is not None, "backward before forward"
        if self.mode == "inverted":
            result: np.ndarray = dout * (self.mask / dout.dtype.type(1.0 - self.dropout_ratio))
            return result
        result = dout * self.mask
        return result
