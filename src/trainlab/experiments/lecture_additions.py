"""The lecture's "추가적인 방법론" (additional methods), each against its claim:

* **shuffling**: "shuffle the training data every epoch" — a fresh order each
  epoch (``sampling='shuffle'``) against one fixed random order, and against
  data sorted by class (``sampling='sequential'`` on each order);
* **curriculum learning** (Bengio et al., 2009): "learn the easy ones first" —
  :class:`trainlab.train.Curriculum` on :func:`trainlab.train.difficulty_scores`
  against the random order;
* **early stopping**: "stop when the validation accuracy falls" —
  :class:`trainlab.train.callbacks.EarlyStopping` (``early_stop`` patience):
  where it stops and the accuracy of the parameters it keeps, against the run
  that goes on to the end;
* **gradient noise** (Neelakantan et al., 2015): "a little noise on the
  gradient makes learning a little faster" — :class:`trainlab.optim.GradientNoise`
  (variance ``eta / (1 + t)^0.55``) against none.

Every training of a seed starts from the same initial weights, uses the same
split (``val_ratio`` of ``train_size`` held out for validation) and the same
batch draws where the order allows; only the compared technique differs.
Accuracies are measured on the whole sets after every epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import first, fit, gen, head, mean, network, seeds

TITLE = "The lecture's additional methods: shuffling, curriculum, early stopping, noise"
TRAINS = True
#: every training: name → what it changes
VARIANTS = {
    "shuffle": "a fresh random order every epoch (the lecture's advice)",
    "fixed order": "one random order, the same every epoch",
    "sorted by class": "the data sorted by class, the same every epoch",
    "curriculum": "easiest first, the pool widening to all by half-way",
    "gradient noise": "Gaussian noise of variance eta/(1+t)^0.55 added to each gradient",
    "early stopping": "stops when validation accuracy has not risen for `patience` epochs",
}


@dataclass
class Config:
    optimizer: str = "sgd"
    lr: float = 0.1
    hidden: tuple = (100, 100)
    batch_size: int = 50
    epochs: int = 30
    train_size: int = 2000
    val_ratio: float = 0.2
    patience: int = 3
    noise_eta: float = 0.01


QUICK = {"epochs": 12}


def units(cfg) -> int:
    return len(VARIANTS)


def evaluation(cfg) -> dict:
    return {
        "each_epoch": "training loss, training, validation and test accuracy on the whole sets",
        "final": "the same, of the parameters each training ends with (early stopping: the best)",
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see registry.reads)."""
    return first(cfg.train_size), None


def jobs(cfg, rng) -> list[dict]:
    """One training per variant, all from the same split, initial weights and draws."""
    split, init, batch, noise, order, scores = seeds(rng, 6)
    common = {"split": split, "init": init, "batch": batch}
    extra = {"gradient noise": {"noise": noise}, "fixed order": {"order": order}}
    extra["curriculum"] = {"scores": scores}
    return [{"variant": v, **common, **extra.get(v, {})} for v in VARIANTS]


def ordered(variant: str, x, t, spec):
    """The training data in the order a sequential variant walks it."""
    if variant == "sorted by class":
        idx = np.argsort(t, kind="stable")
    else:  # one random order, drawn once
        idx = gen(spec["order"]).permutation(len(t))
    return x[idx], t[idx]


class _Updates:
    """Records the number of updates made by the end of each epoch."""

    def __init__(self):
        self.at = [0]

    def on_epoch_end(self, trainer, epoch, record) -> bool:
        self.at.append(int(trainer.current_iter))
        return False


def job(cfg, data, spec) -> dict:
    from trainlab.data import train_val_split
    from trainlab.optim import GradientNoise, create
    from trainlab.train import Curriculum, Data, TrainConfig, Trainer, difficulty_scores

    v = spec["variant"]
    x, t = head(data.x, data.t, cfg.train_size)
    (x, t), (xv, tv) = train_val_split(x, t, cfg.val_ratio, gen(spec["split"]))
    if v in ("fixed order", "sorted by class"):
        x, t = ordered(v, x, t, spec)
    opt = create(cfg.optimizer, lr=cfg.lr)
    if v == "gradient noise":
        opt = GradientNoise(opt, eta=cfg.noise_eta, rng=gen(spec["noise"]))
    curriculum = None
    if v == "curriculum":
        curriculum = Curriculum(difficulty_scores(x, t, gen(spec["scores"])))
    updates = _Updates()
    tr = Trainer(
        network(data, cfg.hidden, spec["init"]),
        Data(x, t, data.x_test, data.t_test, x_val=xv, t_val=tv),
        opt,
        TrainConfig(
            epochs=cfg.epochs,
            mini_batch_size=cfg.batch_size,
            sampling="sequential" if v in ("fixed order", "sorted by class") else "shuffle",
            curriculum=curriculum,
            early_stop=cfg.patience if v == "early stopping" else None,
            rng=gen(spec["batch"]),
            progress=False,
            callbacks=(updates,),
        ),
    )
    h = fit(tr)
    net = tr.network
    final = {
        f"{k}_acc": float(net.evaluate(a, b)[1])
        for k, a, b in (("val", xv, tv), ("test", data.x_test, data.t_test))
    }
    return {
        "updates": updates.at,
        "diverged_at": h["diverged_at"],
        "best_epoch": getattr(tr, "best_epoch", None),
        "final": final,
        **{k: list(h[k]) for k in ("train_loss_epoch", "train_acc", "val_acc", "test_acc")},
    }


def gather(cfg, specs, results) -> dict:
    return {spec["variant"]: r for spec, r in zip(specs, results, strict=True)}


def summarize(runs, cfg) -> dict:
    s = {}
    for v in VARIANTS:
        s[f"{v}: test acc"] = mean([r[v]["final"]["test_acc"] for r in runs])
    for v in ("shuffle", "curriculum", "gradient noise"):
        s[f"{v}: train loss after epoch 1"] = mean([r[v]["train_loss_epoch"][1] for r in runs])
        s[f"{v}: final train loss"] = mean([r[v]["train_loss_epoch"][-1] for r in runs])
    stops = [len(r["early stopping"]["val_acc"]) - 1 for r in runs]
    s["early stopping: stopped after epoch (mean)"] = mean(stops)
    s["early stopping: kept epoch (mean)"] = mean([r["early stopping"]["best_epoch"] for r in runs])
    s["early stopping: epochs saved (mean)"] = float(cfg.epochs - np.mean(stops))
    return s


def plot(metrics, cfg, out) -> list:
    from trainlab.experiments.common import stack
    from trainlab.viz import band, caption, plt, save

    pyplot = plt()
    runs = metrics["runs"]
    fig, axes = pyplot.subplots(2, 2, figsize=(11, 8))
    epochs = np.arange(cfg.epochs + 1)

    def curves(ax, names, key, colors, x=None):
        for name, color in zip(names, colors, strict=True):
            y = stack([r[name][key] for r in runs])
            at = np.arange(y.shape[1]) if x is None else np.asarray(runs[0][name][x])
            band(ax, at, y, color=color, label=name)

    curves(
        axes[0, 0], ("shuffle", "fixed order", "sorted by class"), "test_acc", "C0 C1 C3".split()
    )
    axes[0, 0].set(title="shuffling: test accuracy", ylabel="test accuracy")
    curves(axes[0, 1], ("shuffle", "curriculum"), "test_acc", ("C0", "C2"), x="updates")
    axes[0, 1].set(title="curriculum (easy first): test accuracy", ylabel="test accuracy")
    axes[0, 1].set(xlabel="updates (the curriculum's early epochs are shorter)")
    curves(axes[1, 0], ("shuffle",), "val_acc", ("C0",))
    for r in runs:
        e = r["early stopping"]
        stop = len(e["val_acc"]) - 1
        axes[1, 0].axvline(stop, color="C4", ls=":", lw=1)
        axes[1, 0].plot(e["best_epoch"], e["val_acc"][e["best_epoch"]], "*", color="C4", ms=12)
    axes[1, 0].plot([], [], ":", color="C4", label=f"stop (patience {cfg.patience})")
    axes[1, 0].plot([], [], "*", color="C4", ms=12, label="epoch kept (best validation)")
    axes[1, 0].set(title="early stopping: where it stops, what it keeps")
    axes[1, 0].set(ylabel="validation accuracy")
    curves(axes[1, 1], ("shuffle", "gradient noise"), "train_loss_epoch", ("C0", "C5"))
    axes[1, 1].set(title=f"gradient noise (eta {cfg.noise_eta:g}): training loss")
    axes[1, 1].set(ylabel="training loss", yscale="log")
    top = axes[0, 0].get_ylim()
    for ax in (axes[0, 0], axes[1, 0], axes[1, 1]):
        ax.set(xlabel="epoch", xlim=(0, epochs[-1]))
    for ax in axes.flat:
        ax.legend(fontsize=8, loc="lower right" if ax is not axes[1, 1] else "upper right")
    axes[0, 1].set_ylim(top)  # the two test-accuracy panels share their range
    fig.suptitle(
        f"{metrics['data']['title']}: {cfg.optimizer} lr {cfg.lr:g}, batch {cfg.batch_size}, "
        f"{cfg.train_size} samples ({cfg.val_ratio:.0%} for validation), same initial weights"
    )
    fig.tight_layout()
    caption(
        fig,
        "Each panel: the lecture's method against the plain shuffled run (blue); "
        "lines: mean over seeds, bands: ±1 std",
    )
    return [save(fig, out / "lecture_additions.png")]
