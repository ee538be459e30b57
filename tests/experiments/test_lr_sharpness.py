"""lr-diagnosis's sharpness figure: on digits the high rate's sharpness sits at or
above 2/lr and the low rate's far below it (over seeds 0-3 with 5 epochs the
ratios were 1.44-2.57 and 0.003-0.007 with the low rate at 0.001, now 0.0005;
the thresholds are 0.8 and 0.05)."""

import numpy as np
import pytest

from trainlab.experiments import make_config
from trainlab.experiments import run as run_experiment
from trainlab.experiments.lr_sharpness import ratio


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    cfg = make_config("lr-diagnosis", True, dataset="digits")
    cfg.epochs = 5
    out = tmp_path_factory.mktemp("lr-sharpness")
    metrics = run_experiment("lr-diagnosis", out, cfg, dataset="digits", progress=False)
    return out, metrics["runs"][0]


def test_too_high_is_sharpness_at_the_edge_and_too_low_far_below(folder):
    _, run = folder
    assert run["very high"]["diverged_at"] and ratio(run["very high"], 3.0) == np.inf
    assert ratio(run["high"], run["high"]["lr"]) >= 0.8
    assert ratio(run["low"], run["low"]["lr"]) <= 0.05
    assert len(run["good"]["sharpness"]) == 5  # one per epoch
    assert run["good"]["sharpness_iteration"] == [15, 30, 45, 60, 75]  # 1500 / 100 per epoch


def test_the_figure_is_drawn(folder):
    out, _ = folder
    assert (out / "lr_sharpness.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_with_several_seeds_each_label_says_how_many_seeds_share_its_verdict(tmp_path):
    # near the edge of stability one seed's "high" curve may stay smooth: the legend
    # gives the majority's verdict and how many seeds agree with it
    from trainlab.experiments import lr_diagnosis

    cfg = make_config("lr-diagnosis", True, dataset="digits")
    jumps, straight = [2.4, 1.2, 2.0, 0.9, 0.8], [2.4, 2.35, 2.3, 2.25, 2.2]
    verdicts = {"very high": "diverging", "good": "healthy", "low": "slow", "bad init": "plateau"}

    def seed(high_loss, high_verdict):
        run = {k: {"epoch_loss": straight, "verdict": v} for k, v in verdicts.items()}
        run["high"] = {"epoch_loss": high_loss, "verdict": high_verdict}
        for r in run.values():
            r["sharpness"] = [1.0, 1.0]
        return run

    runs = [seed(jumps, "spiking"), seed(straight, "slow"), seed(jumps, "spiking")]
    metrics = {"runs": runs, "data": {"title": "digits"}}
    drawn = []
    real_save = lr_diagnosis.save

    def keep(fig, path):
        drawn.append(
            [
                t.get_text()
                for ax in fig.axes
                if ax.get_legend()
                for t in ax.get_legend().get_texts()
            ]
        )
        return real_save(fig, path)

    lr_diagnosis.save = keep
    try:
        lr_diagnosis.plot(metrics, cfg, tmp_path)
    finally:
        lr_diagnosis.save = real_save
    legend = drawn[0]
    high = next(t for t in legend if t.startswith("high"))
    assert "spiking" in high and high.endswith("(seeds agreeing: 2/3)")
    assert next(t for t in legend if t.startswith("good")).endswith("(seeds agreeing: 3/3)")
