"""SGD, Momentum, AdaGrad and Adam on the notes' network (the book's
``optimizer_compare_mnist.py``): same initial weights, same batches, each
rule at its default learning rate; smoothed training loss per iteration."""

from __future__ import annotations

from dataclasses import dataclass

from trainlab.experiments.common import (
    arch,
    batch_loss_evaluation,
    mean,
    rule_label,
    seeds,
    tail_mean,
)

TITLE = "Update rules on the notes' network"
TRAINS = True
#: samples of the training set the Trainer evaluates per epoch (its record; not in the figure)
TRAIN_PROBE = 1000


@dataclass
class Config:
    optimizers: tuple = ("sgd", "momentum", "adagrad", "adam")
    hidden: tuple = (100, 100, 100, 100)
    activation: str = "relu"
    weight_init: str = "he"
    batch_size: int = 128
    iterations: int = 2000


QUICK = {"iterations": 300}


def units(cfg) -> int:
    return len(cfg.optimizers)


def evaluation(cfg) -> dict:
    """The figure is the loss of each training batch; only the final test accuracy is
    measured on a whole set."""
    return batch_loss_evaluation(TRAIN_PROBE)


def jobs(cfg, rng) -> list[dict]:
    """One training per rule, all with the same seed (same initial weights and batches)."""
    (seed,) = seeds(rng, 1)
    return [{"rule": name, "seed": seed} for name in cfg.optimizers]


def job(cfg, data, spec) -> dict:
    from trainlab.train.compare import compare_optimizers

    name = spec["rule"]
    r = compare_optimizers(
        data.x,
        data.t,
        data.x_test,
        data.t_test,
        {name: {"name": name}},
        hidden=cfg.hidden,
        activation=cfg.activation,
        weight_init_std=cfg.weight_init,
        iterations=cfg.iterations,
        batch_size=cfg.batch_size,
        seed=spec["seed"],
        progress=False,
        test_each_epoch=False,
        evaluate_sample_num_per_epoch=TRAIN_PROBE,
    )[name]
    return {"train_loss": r["train_loss"], "test_acc": r["test_acc"], "seconds": r["seconds"]}


def gather(cfg, specs, results) -> dict:
    return {spec["rule"]: r for spec, r in zip(specs, results, strict=False)}


def summarize(runs, cfg) -> dict:
    s = {}
    for name in cfg.optimizers:
        s[f"{rule_label(name)} final loss"] = mean([tail_mean(r[name]["train_loss"]) for r in runs])
    for name in cfg.optimizers:
        s[f"{rule_label(name)} test acc"] = mean([r[name]["test_acc"] for r in runs])
    return s


def plot(metrics, cfg, out) -> list:
    from trainlab.optim import create
    from trainlab.train.plots import plot_loss_curves

    runs = metrics["runs"]
    curves = {
        f"{rule_label(n)} (lr {create(n).lr:g})": [r[n]["train_loss"] for r in runs]
        for n in cfg.optimizers
    }
    path = out / "optimizer_compare.png"
    d = metrics["data"]
    plot_loss_curves(
        curves,
        path,
        log=True,
        title=f"{d['title']}: {arch(d, cfg.hidden)}, batch {cfg.batch_size}, "
        "same start and batches, each rule at its default lr",
        caption="SGD's loss falls slowest; Momentum, AdaGrad and Adam reach a "
        "lower loss sooner (log scale)",
    )
    return [path]
