"""``trainlab lrfind`` from its spec: the range test on the network ``trainlab train``
would build, written to a run folder (``config.json``, ``lrfind.json``, ``lrfind.png``)."""

from __future__ import annotations

from pathlib import Path

from trainlab.io import read_json, write_json
from trainlab.runs import default_out, prepare_out
from trainlab.train.build import build
from trainlab.train.checkpoint import guarded_write
from trainlab.train.folder import described
from trainlab.train.lrfind import LRFind, lrfind
from trainlab.train.lrfind_plot import plot_lrfind
from trainlab.train.session import open_prepared
from trainlab.train.spec import RunSpec
from trainlab.train.spec_flat import from_flat

__all__ = ["from_flat", "sweep"]


def sweep(spec: RunSpec, settings: dict, out: Path | None, overwrite: bool = False):
    """Sweep the learning rate of ``spec``'s rule (``settings``: ``low``, ``high``,
    ``steps``, ``seeds``); returns ``(found, folder)``."""
    built = build(spec, prepared=open_prepared(spec))  # a bad file fails before the folder
    out = out or default_out("lrfind")
    trainer = built.trainer
    found: LRFind = lrfind(
        trainer.network,
        trainer.data.x_train,
        trainer.data.t_train,
        trainer.optimizer,
        batch_size=spec.training.batch_size,
        seed=spec.training.seed,
        **settings,
    )
    prepare_out(out, "lrfind", overwrite=overwrite)
    config = {"kind": "lrfind", **spec.to_json(), "sweep": settings, "described": described(built)}
    guarded_write(out / "config.json", write_json, config)
    guarded_write(out / "lrfind.json", write_json, found.to_json())
    title = f"{spec.optimizer.rule} on {built.info['name']}"
    guarded_write(out / "lrfind.png", lambda path: plot_lrfind(found, path, title))
    return found, out


def replot(folder: Path) -> None:
    """``lrfind.png`` of the run in ``folder``, redrawn from its ``lrfind.json``."""
    config = read_json(folder / "config.json")
    title = f"{config['optimizer']['rule']} on {config['described']['data']['name']}"
    plot_lrfind(LRFind.from_json(read_json(folder / "lrfind.json")), folder / "lrfind.png", title)
