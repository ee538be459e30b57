"""Arrays copied once into shared memory, which worker processes map read-only.

A data set loaded by the parent is put here once; every worker attaches to the
same pages (:func:`attach`), so N workers do not hold N copies of the data.
The handles that cross to a worker are plain data: block names, shapes and
dtypes (nothing else is pickled).

    with SharedArrays({"x": x, "t": t}) as shared:
        shared.arrays["x"]          # a read-only view on the shared copy
        spec = shared.spec()        # what a worker passes to attach()
"""

from __future__ import annotations

from multiprocessing import shared_memory

import numpy as np

#: blocks a worker has attached to (kept open while the worker lives)
_ATTACHED: list = []


def _view(buf, shape, dtype) -> np.ndarray:
    a = np.ndarray(tuple(shape), dtype=np.dtype(dtype), buffer=buf)
    a.flags.writeable = False
    return a


class SharedArrays:
    """``arrays`` (name → ndarray) copied into shared memory blocks; more can be
    added with :meth:`put`, or written in place with :meth:`empty` (so that a
    large array is never held twice)."""

    def __init__(self, arrays: dict | None = None):
        self._blocks: list = []
        self._spec: dict = {}
        self.arrays: dict = {}
        try:
            for name, a in (arrays or {}).items():
                self.put(name, a)
        except BaseException:
            self.close()
            raise

    def empty(self, name: str, shape, dtype) -> np.ndarray:
        """A new writable block ``name``; read-only once :meth:`put` or :meth:`spec` is called."""
        shape, dtype = tuple(int(s) for s in shape), np.dtype(dtype)
        block = shared_memory.SharedMemory(
            create=True, size=max(1, int(np.prod(shape)) * dtype.itemsize)
        )
        self._blocks.append(block)
        view = np.ndarray(shape, dtype=dtype, buffer=block.buf)
        self.arrays[name] = view
        self._spec[name] = (block.name, shape, dtype.str)
        return view

    def put(self, name: str, a) -> np.ndarray:
        """Copy ``a`` into a new block ``name``; its read-only view."""
        a = np.asarray(a)
        view = self.empty(name, a.shape, a.dtype)
        view[...] = a
        self._freeze()
        return view

    def _freeze(self) -> None:
        for view in self.arrays.values():
            view.flags.writeable = False

    def spec(self) -> dict:
        """Name → (block, shape, dtype): plain data for :func:`attach`."""
        self._freeze()
        return dict(self._spec)

    @property
    def nbytes(self) -> int:
        return int(sum(a.nbytes for a in self.arrays.values()))

    def close(self) -> None:
        """Free the blocks (views still held elsewhere keep their pages until dropped)."""
        self.arrays = {}
        for block in self._blocks:
            try:
                block.close()
            except BufferError:  # a view is still alive; unlinking frees it on its release
                pass
            try:
                block.unlink()
            except FileNotFoundError:
                pass
        self._blocks = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def attach(spec: dict) -> dict:
    """Read-only arrays on the blocks named in ``spec`` (from :meth:`SharedArrays.spec`)."""
    out = {}
    for name, (block_name, shape, dtype) in spec.items():
        block = shared_memory.SharedMemory(name=block_name)
        _ATTACHED.append(block)
        out[name] = _view(block.buf, shape, dtype)
    return out
