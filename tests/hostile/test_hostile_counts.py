"""Counts that cannot finish in a lifetime are refused up front, naming the largest
accepted value (10⁹: a billion steps of the smallest network take days)."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest

from trainlab.cli import main
from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet
from trainlab.train import Data, TrainConfig, Trainer

BILLION = 1_000_000_000


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--epochs"],
        ["train", "--iterations"],
        ["tune", "--trials"],
        ["tune", "--epochs"],
        ["benchmark", "--trials"],
        ["benchmark", "--seeds"],
        ["benchmark", "--epochs"],
    ],
)
def test_a_count_over_a_billion_is_one_line_naming_the_largest(tmp_path, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    for value in (BILLION + 1, 10**30):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main([*argv, str(value), "--out", str(tmp_path / "out")])
            except SystemExit as exc:  # argparse's own exit
                code = exc.code
        lines = err.getvalue().splitlines()
        assert code == 2 and len(lines) == 1, lines
        assert "at most 1,000,000,000" in lines[0] and argv[1] in lines[0]
    assert not (tmp_path / "out").exists()


def test_epochs_whose_steps_pass_a_billion_are_refused_naming_the_most_epochs():
    x = np.zeros((130, 4))
    t = np.zeros(130, dtype=int)
    steps_per_epoch = math.ceil(130 / 20)  # 7: the last batch is partial
    most = BILLION // steps_per_epoch
    net = MultiLayerNet(4, [3], 2, rng=np.random.default_rng(0))
    Trainer(net, Data(x, t), config=TrainConfig(epochs=most, mini_batch_size=20, progress=False))
    with pytest.raises(ConfigError, match=f"at most {most:,} epochs at this batch size"):
        Trainer(
            net,
            Data(x, t),
            config=TrainConfig(epochs=most + 1, mini_batch_size=20, progress=False),
        )
    with pytest.raises(ConfigError, match="at most 1,000,000,000"):
        TrainConfig(iterations=BILLION + 1)
