"""A scratch array kept between steps, for rules that work on whole parameters."""

from __future__ import annotations

import numpy as np


class Scratch:
    """Room for one temporary the size of the largest parameter seen, reused.

    A fresh NumPy temporary of a million float32 numbers (4 MB) is new memory
    from the system, and touching it for the first time costs more page faults
    than the arithmetic written into it; the element-wise rules never meet
    this (the engine hands them cache-sized chunks), the rules that see whole
    parameters (Prodigy, Adafactor) keep one of these.
    """

    def __init__(self) -> None:
        self.buffer = np.empty(0)

    def like(self, p: np.ndarray) -> np.ndarray:
        """An uninitialised array with ``p``'s shape and dtype (the same memory each call)."""
        if self.buffer.size < p.size or self.buffer.dtype != p.dtype:
            self.buffer = np.empty(p.size, p.dtype)
        return self.buffer[: p.size].reshape(p.shape)
