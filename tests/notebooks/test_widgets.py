"""The notebook widgets: change a control, and the figure and its data change."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.notebooks import HistogramLab, LandscapeLab, LiveLoss, LossCurveLab
from trainlab.notebooks.widgets import NOTES_RULES, momentum_option


@pytest.fixture(scope="module")
def landscape():
    return LandscapeLab("bowl", lang="ko")


def test_landscape_starts_with_the_notes_figure(landscape):
    assert list(landscape.traces) == list(NOTES_RULES)
    assert (landscape.start_x.value, landscape.start_y.value) == (-7.0, 2.0)
    assert landscape.steps_box.value == 30
    assert landscape.rules["sgd"]["lr"].value == pytest.approx(0.95)
    assert landscape.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_moving_an_lr_slider_redraws_that_rule_only(landscape):
    before_png = landscape.image.value
    before = {k: t.points.copy() for k, t in landscape.traces.items()}
    landscape.rules["sgd"]["lr"].value = 0.3
    assert landscape.image.value != before_png
    assert not np.allclose(landscape.traces["sgd"].points, before["sgd"])
    assert np.array_equal(landscape.traces["adam"].points, before["adam"])
    landscape.rules["sgd"]["lr"].value = 1.2  # |1 - 2·lr| > 1 along y: diverges
    assert abs(landscape.traces["sgd"].points[-1, 1]) > 2 or landscape.traces["sgd"].diverged
    landscape.rules["sgd"]["lr"].value = 0.95


def test_momentum_start_steps_and_rule_choice_each_redraw(landscape):
    png = landscape.image.value
    landscape.rules["momentum"]["momentum"].value = 0.5
    assert landscape.image.value != png
    landscape.start_y.value = -3.0
    assert landscape.traces["sgd"].points[0].tolist() == [-7.0, -3.0]
    landscape.steps_box.value = 10
    assert len(landscape.traces["adam"].points) == 11
    landscape.rules["adagrad"]["on"].value = False
    assert "adagrad" not in landscape.traces


def test_momentum_slider_drives_momentum_or_beta1():
    assert momentum_option("momentum") == "momentum"
    assert momentum_option("adam") == "beta1"
    assert momentum_option("adagrad") is None
    lab = LandscapeLab("bowl", ["adam", "adagrad"])
    assert lab.rules["adagrad"]["momentum"].disabled
    lab.rules["adam"]["momentum"].value = 0.5
    assert lab.optimizer("adam").beta1 == 0.5


def test_choosing_a_function_resets_start_steps_and_lrs():
    lab = LandscapeLab("bowl", ["sgd", "adam"])
    lab.function_box.value = "rosenbrock"
    f = lab.function
    assert (lab.start_x.value, lab.start_y.value) == pytest.approx(f.start)
    assert lab.steps_box.value == f.steps
    assert lab.rules["adam"]["lr"].value == pytest.approx(f.lrs["adam"], rel=0.06)
    assert len(lab.traces["sgd"].points) == f.steps + 1


def test_histograms_follow_scale_and_activation():
    lab = HistogramLab("1", "sigmoid", lang="ko")
    assert len(lab.layers) == 5
    saturated = np.mean((lab.layers[-1] < 0.02) | (lab.layers[-1] > 0.98))
    png = lab.image.value
    lab.scale_box.value = "0.01"
    assert lab.image.value != png
    assert saturated > 0.5  # std 1: piled up at 0 and 1
    assert np.mean(np.abs(lab.layers[-1] - 0.5) < 0.02) > 0.5  # std 0.01: at 0.5
    lab.activation_box.value = "relu"
    lab.scale_box.value = "he"
    stds = [z.std() for z in lab.layers]
    assert max(stds) / min(stds) < 3  # He keeps ReLU layers' spread


def test_loss_curve_follows_the_lr_and_says_its_verdict():
    lab = LossCurveLab(lr=0.1, lang="en")  # the notebook's settings
    good = list(lab.curve)
    assert lab.kind == "healthy" and "healthy" in lab.verdict_box.value
    png = lab.image.value
    lab.lr_box.value = 0.001
    assert lab.image.value != png and lab.curve != good
    assert lab.kind in ("slow", "plateau"), lab.kind  # a too-small step: barely moving
    lab.lr_box.value = 0.1  # cached: the same curve at once
    assert lab.curve == good


def test_loss_curve_in_korean_speaks_korean():
    lab = LossCurveLab(lr=0.1, lang="ko", epochs=4, train_size=300)
    assert "진단" in lab.verdict_box.value


def test_live_loss_draws_while_training_and_once_at_the_end():
    from trainlab.data import load
    from trainlab.nn import MultiLayerNet
    from trainlab.train import Data, TrainConfig, Trainer

    (x, t), _ = load("digits")
    live = LiveLoss(display=False, every=0.0)
    for name in ("sgd", "adam"):
        net = MultiLayerNet(64, [20], 10, rng=np.random.default_rng(0))
        config = TrainConfig(
            iterations=5, mini_batch_size=50, progress=False, callbacks=[live.next(name)]
        )
        Trainer(net, Data(x[:200], t[:200]), name, config).train()
    assert list(live.curves) == ["sgd", "adam"] and len(live.curves["adam"]) == 5
    assert 2 <= live.redraws <= 12 and live.image.value[:4] == b"\x89PNG"  # and at each end


def test_live_loss_spends_at_most_a_fifth_of_the_time_drawing(monkeypatch):
    import trainlab.notebooks.live as live_module

    clock = [0.0]
    monkeypatch.setattr(live_module.time, "perf_counter", lambda: clock[0])

    def slow_png(fig, dpi=80):  # every picture "takes" one second to draw
        clock[0] += 1.0
        return b"\x89PNG"

    monkeypatch.setattr(live_module, "png", slow_png)
    live = LiveLoss(display=False, every=0.0)
    for step in range(100):  # 100 steps of 0.1 s: 10 s of training
        clock[0] += 0.1
        live.on_step(None, step, 1.0)
    drawing = live.redraws * 1.0
    assert live.redraws >= 2 and drawing <= 0.25 * clock[0], (live.redraws, clock[0])


def test_an_unknown_language_is_refused():
    from trainlab.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown language"):
        HistogramLab(lang="jp")
