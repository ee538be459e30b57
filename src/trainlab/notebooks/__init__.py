"""The notes as live notebooks, in Korean (``ko``) and English (``en``).

The notebooks ship with trainlab under ``trainlab/notebooks/{ko,en}/``;
``trainlab lab`` copies them into a folder and opens JupyterLab there.
This package also holds what the notebooks call, so that their cells stay short:

* :func:`use_korean_font` (matplotlib draws Hangul);
* :class:`LandscapeLab`, :class:`HistogramLab`, :class:`LossCurveLab`, :class:`RateLab`,
  :class:`SharpnessLab`, :class:`FinderLab`, :class:`RivalsLab`, :class:`NetworkRulesLab`
  (ipywidgets that redraw a figure when a control moves);
* :class:`LiveLoss` (a Trainer callback: the loss plotted while training runs);
* :func:`pick_dataset` (Fashion-MNIST when its files are found, else digits).

Widgets are imported on first use, so ``import trainlab.notebooks`` needs
neither ipywidgets nor matplotlib.
"""

from __future__ import annotations

from trainlab.data.datasets import STEMS
from trainlab.data.locations import find_file, search_dirs
from trainlab.notebooks.files import LANGS, copy_notebooks, notebook_names, shipped_dir

_LAZY = {
    "LandscapeLab": "widgets",
    "HistogramLab": "network_labs",
    "LossCurveLab": "network_labs",
    "RateLab": "rate_lab",
    "SharpnessLab": "diverge_labs",
    "FinderLab": "diverge_labs",
    "RivalsLab": "after_labs",
    "NetworkRulesLab": "after_labs",
    "LiveLoss": "live",
    "use_korean_font": "fonts",
}


def pick_dataset() -> str:
    """``'fashion-mnist'`` when its four IDX files are found locally, else ``'digits'``."""
    folders = search_dirs("fashion-mnist")
    found = all(find_file(stem, folders) for part in STEMS.values() for stem in part)
    return "fashion-mnist" if found else "digits"


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"trainlab.notebooks.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'trainlab.notebooks' has no attribute {name!r}")


__all__ = ["LANGS", "copy_notebooks", "notebook_names", "shipped_dir", "pick_dataset", *_LAZY]
