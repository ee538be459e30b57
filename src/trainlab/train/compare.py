"""Several update rules on the same network, data, initial weights and batches, each
training built by :func:`trainlab.train.build.build`."""

from __future__ import annotations

import numpy as np

from trainlab.train.build import Extras, Given, Streams, build
from trainlab.train.config import Data
from trainlab.train.spec import NetworkSpec, OptimizerSpec, OutputSpec, RunSpec, TrainingSpec


def compare_optimizers(
    x_train,
    t_train,
    x_test,
    t_test,
    optimizers: dict,
    *,
    hidden=(100, 100, 100, 100),
    activation="relu",
    weight_init_std="relu",
    iterations: int = 2000,
    batch_size: int = 128,
    seed: int = 0,
    dtype=np.float32,
    quiet: bool = False,
    test_each_epoch: bool = True,
    evaluate_sample_num_per_epoch: int | None = None,
) -> dict:
    """Train one net per rule; ``optimizers`` maps a label to ``create`` keyword
    arguments (with ``name``). Every rule starts from the same initial weights
    and sees the same batches (common random numbers), so only the rule differs.

    ``test_each_epoch=False`` measures the test set once, after training (the
    same number as the last of the per-epoch measurements, without the others);
    ``evaluate_sample_num_per_epoch`` is the Trainer's (the first that many
    samples of each set it evaluates per epoch); ``quiet`` hides the progress bars.

    Returns ``{label: {"train_loss": [...], "test_acc": float, "seconds": float}}``.
    """
    n_classes = int(np.max(t_train)) + 1
    shape = NetworkSpec(tuple(hidden), activation, init=weight_init_std, dtype=np.dtype(dtype).name)
    test = (x_test, t_test) if test_each_epoch else (None, None)
    out = {}
    for label, options in optimizers.items():
        options = dict(options)
        run = RunSpec(
            network=shape,
            optimizer=OptimizerSpec(
                options.pop("name", label), lr=options.pop("lr", None), options=options
            ),
            training=TrainingSpec(iterations=iterations, batch_size=batch_size),
            output=OutputSpec(quiet=quiet),
        )
        weights, batches = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
        trainer = build(
            run,
            given=Given(Data(x_train, t_train, *test), n_classes),
            streams=Streams(weights=weights, batches=batches),
            extras=Extras(evaluate_samples=evaluate_sample_num_per_epoch),
        ).trainer
        net = trainer.network
        h = trainer.train()
        acc = h["test_acc"][-1] if test_each_epoch else net.evaluate(x_test, t_test)[1]
        out[label] = {"train_loss": h["train_loss"], "test_acc": acc, "seconds": trainer.elapsed}
    return out
