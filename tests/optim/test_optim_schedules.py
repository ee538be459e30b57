"""Each schedule against its formula, written out here."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.optim import create
from trainlab.optim.schedules import SCHEDULES, Schedule, make_schedule

LR, EPOCHS = 0.2, 12


def rates(s: Schedule, epochs=EPOCHS):
    return [s.lr_at(e) for e in range(epochs)]


def close(a, b):
    assert len(a) == len(b)
    assert max(abs(x - y) for x, y in zip(a, b, strict=False)) <= 1e-15, (a, b)


def test_names():
    assert SCHEDULES == ("constant", "step", "exponential", "cosine", "inverse-time", "plateau")
    for name in SCHEDULES:
        assert isinstance(make_schedule(name, LR, EPOCHS), Schedule)


def test_constant():
    close(rates(make_schedule("constant", LR, EPOCHS)), [LR] * EPOCHS)


def test_step():
    close(
        rates(make_schedule("step", LR, EPOCHS, step_size=5, gamma=0.5)),
        [LR * 0.5 ** (e // 5) for e in range(EPOCHS)],
    )
    # default: three equal stages, gamma 0.1
    close(rates(make_schedule("step", LR, EPOCHS)), [LR * 0.1 ** (e // 4) for e in range(EPOCHS)])


def test_exponential():
    close(
        rates(make_schedule("exponential", LR, EPOCHS, gamma=0.8)),
        [LR * 0.8**e for e in range(EPOCHS)],
    )


def test_cosine_from_lr_to_min_lr():
    s = make_schedule("cosine", LR, EPOCHS, min_lr=0.01)
    close(
        rates(s),
        [0.01 + (LR - 0.01) * 0.5 * (1 + math.cos(math.pi * e / EPOCHS)) for e in range(EPOCHS)],
    )
    assert s.lr_at(EPOCHS + 5) == pytest.approx(0.01)  # stays at the floor afterwards


def test_inverse_time():
    close(
        rates(make_schedule("inverse-time", LR, EPOCHS, decay=0.5)),
        [LR / (1 + 0.5 * e) for e in range(EPOCHS)],
    )


def test_warmup_combines_with_each_schedule():
    w = 3
    ramp = [LR * (e + 1) / (w + 1) for e in range(w)]
    close(rates(make_schedule("constant", LR, EPOCHS, warmup=w)), ramp + [LR] * (EPOCHS - w))
    close(
        rates(make_schedule("exponential", LR, EPOCHS, warmup=w, gamma=0.8)),
        ramp + [LR * 0.8**e for e in range(EPOCHS - w)],
    )
    T = EPOCHS - w
    close(
        rates(make_schedule("cosine", LR, EPOCHS, warmup=w)),
        ramp + [LR * 0.5 * (1 + math.cos(math.pi * e / T)) for e in range(T)],
    )
    close(
        rates(make_schedule("step", LR, EPOCHS, warmup=w, step_size=2)),
        ramp + [LR * 0.1 ** (e // 2) for e in range(T)],
    )
    close(
        rates(make_schedule("inverse-time", LR, EPOCHS, warmup=w)),
        ramp + [LR / (1 + 0.1 * e) for e in range(T)],
    )
    assert all(a < b for a, b in zip(ramp, ramp[1:] + [LR], strict=False))  # rises to lr


def test_plateau_reduces_after_patience_epochs_without_improvement():
    s = make_schedule("plateau", LR, 20, factor=0.5, patience=2, threshold=0.01)
    metrics = [0.5, 0.6, 0.605, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.705, 0.8]
    # by hand: improvements at epochs 0, 1, 5, 13 (0.605 and 0.705 are within the
    # threshold); the 3rd bad epoch in a row (patience 2) halves the rate: after
    # epoch 4 (bad 2,3,4) and after epochs 8 and 11 (bad 6-8, 9-11)
    expected_next = [
        LR,
        LR,
        LR,
        LR,
        LR / 2,
        LR / 2,
        LR / 2,
        LR / 2,
        LR / 4,
        LR / 4,
        LR / 4,
        LR / 8,
        LR / 8,
        LR / 8,
    ]
    seen = []
    for epoch, m in enumerate(metrics):
        assert s.lr_at(epoch) == pytest.approx(expected_next[epoch - 1] if epoch else LR)
        s.observe(epoch, m)
        seen.append(s.lr_at(epoch + 1))
    assert seen == pytest.approx(expected_next)


def test_plateau_floor_nan_and_warmup():
    s = make_schedule("plateau", LR, 30, warmup=2, factor=0.1, patience=0, min_lr=1e-3)
    s.observe(0, 0.1)  # during warm-up: ignored
    s.observe(1, 0.1)
    assert s.best is None
    s.observe(2, 0.5)
    for e in range(3, 8):
        s.observe(e, float("nan"))  # NaN never counts as an improvement
    assert s.lr_at(8) == 1e-3  # LR * 0.1**5 is below the floor


def test_plateau_state_round_trips_through_json():
    s = make_schedule("plateau", LR, 10, patience=1)
    for e, m in enumerate([0.3, 0.2, 0.2, 0.25]):
        s.observe(e, m)
    text = json.dumps(s.state_dict())
    t = make_schedule("plateau", LR, 10, patience=1)
    t.load_state_dict(json.loads(text))
    assert t.lr_at(4) == s.lr_at(4) < LR
    for e, m in enumerate([0.2, 0.2], start=4):
        s.observe(e, m)
        t.observe(e, m)
    assert t.state_dict() == s.state_dict()
    assert make_schedule("cosine", LR, 10).state_dict() == {}


def test_schedule_drives_an_optimizer():
    """What the trainer does: opt.lr = lr_at(epoch); the next step uses it."""
    s = make_schedule("exponential", 0.1, 5, gamma=0.5)
    opt = create("sgd", lr=0.1)
    p = {"w": np.zeros(1)}
    for epoch in range(5):
        opt.lr = s.lr_at(epoch)
        opt.update(p, {"w": np.ones(1)})
    assert p["w"][0] == pytest.approx(-sum(0.1 * 0.5**e for e in range(5)))


@pytest.mark.parametrize(
    "call,match",
    [
        (lambda: make_schedule("linear", LR, 10), "cosine"),
        (lambda: make_schedule("cosine", 0.0, 10), "lr"),
        (lambda: make_schedule("cosine", LR, 0), "epochs"),
        (lambda: make_schedule("cosine", LR, 10, warmup=10), "warmup"),
        (lambda: make_schedule("cosine", LR, 10, warmup=-1), "warmup"),
        (lambda: make_schedule("step", LR, 10, gamma=0.5, step=3), "step_size"),
        (lambda: make_schedule("step", LR, 10, step_size=0), "step_size"),
        (lambda: make_schedule("exponential", LR, 10, gamma=-0.5), "gamma"),
        (lambda: make_schedule("plateau", LR, 10, factor=1.5), "factor"),
        (lambda: make_schedule("constant", LR, 10, gamma=0.5), "none"),
        (lambda: make_schedule("constant", LR, 10).lr_at(-1), "epoch"),
    ],
)
def test_bad_schedule_settings(call, match):
    with pytest.raises(ConfigError, match=match):
        call()
