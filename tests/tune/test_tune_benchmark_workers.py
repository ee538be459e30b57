"""``trainlab benchmark --workers``: the same numbers with one worker or two."""

from __future__ import annotations

from trainlab.cli import main
from trainlab.io import read_json

#: fields that time something (and the profile, built from times to target)
TIMING = ("seconds_to_target", "median_seconds_to_target")


def _bench(out, workers):
    assert (
        main(
            [
                "benchmark",
                "--quick",
                "--problems",
                "digits,noisy-quadratic",
                "--optimizers",
                "sgd,adam",
                "--seeds",
                "2",
                "--lr-grid",
                "1e-2:1:2",
                "--epochs",
                "2",
                "--workers",
                str(workers),
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return read_json(out / "config.json"), read_json(out / "metrics.json")


def test_one_or_two_workers_give_the_same_results(tmp_path):
    c1, m1 = _bench(tmp_path / "w1", 1)
    c2, m2 = _bench(tmp_path / "w2", 2)
    c1.pop("storage"), c2.pop("storage")
    assert c1 == c2  # the worker count is not part of the record
    for problem in ("digits", "noisy-quadratic"):
        for rule in ("sgd", "adam"):
            a, b = m1["problems"][problem][rule], m2["problems"][problem][rule]
            assert {k: v for k, v in a.items() if k not in TIMING} == {
                k: v for k, v in b.items() if k not in TIMING
            }
