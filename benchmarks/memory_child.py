"""A full Fashion-MNIST training (60,000 images) for the memory benchmark.

Prints one JSON line: the bytes of the loaded data, the epochs and the time.
"""

import json
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402 (after sys.path names the tree)

from trainlab.data import load  # noqa: E402 (after sys.path names the tree)
from trainlab.nn import MultiLayerNet  # noqa: E402 (after sys.path names the tree)
from trainlab.train import Data, TrainConfig, Trainer  # noqa: E402 (after sys.path names the tree)


def main(data_dir: str, epochs: int):
    t0 = time.perf_counter()
    (x, t), (xt, tt) = load("fashion-mnist", data_dir=data_dir)
    net = MultiLayerNet(784, [100] * 4, 10, rng=np.random.default_rng(0))
    trainer = Trainer(
        net,
        Data(x, t, xt, tt),
        "adam",
        TrainConfig(
            epochs=epochs, mini_batch_size=128, rng=np.random.default_rng(1), progress=False
        ),
    )
    history = trainer.train()
    print(
        json.dumps(
            {
                "data_bytes": int(x.nbytes + t.nbytes + xt.nbytes + tt.nbytes),
                "float32_bytes": int((x.size + xt.size) * 4),
                "epochs": epochs,
                "seconds": time.perf_counter() - t0,
                "test_acc": history["test_acc"][-1],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
