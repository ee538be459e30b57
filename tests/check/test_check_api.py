"""``trainlab.check(...)`` from Python, and the result as text, Markdown and HTML."""

import subprocess
import sys

import pytest
from fixture_rules import FIXTURES, fixture_class

import trainlab
from trainlab.check.result import Result
from trainlab.errors import ConfigError


def test_import_trainlab_does_not_import_the_checker():
    code = "import sys, trainlab; print('trainlab.check' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(FIXTURES.parents[2] / "src")},
    )
    assert out.stdout.strip() == "False", out.stderr


def test_trainlab_check_on_a_class_runs_here():
    result = trainlab.check(fixture_class("book_momentum"), rule="momentum")
    assert result.passed and result.departure is None and result.diagnosis is None
    assert result.rule == "momentum" and result.rule_how == "given"


def test_trainlab_check_on_a_file_runs_in_a_child_and_gives_the_same_result():
    here = trainlab.check(fixture_class("reset_momentum"))
    there = trainlab.check(f"{FIXTURES / 'reset_momentum.py'}:Momentum")
    assert not there.passed
    assert there.departure == here.departure
    assert there.diagnosis == here.diagnosis
    assert there.scenarios == here.scenarios


def test_the_module_and_the_function_are_one():
    import trainlab.check

    assert trainlab.check is sys.modules["trainlab.check"]
    assert callable(trainlab.check)


def test_an_instance_is_refused_with_a_hint():
    with pytest.raises(ConfigError, match="give the class itself"):
        trainlab.check(fixture_class("book_sgd")())


def test_an_endless_class_is_stopped_here_too():
    class SGD:
        def __init__(self, lr=0.01):
            self.lr = lr

        def update(self, params, grads):
            while True:
                try:
                    pass
                except Exception:  # a learner's catch-all does not stop the time limit
                    pass

    result = trainlab.check(SGD, timeout=4)
    assert result.verdict == "timeout" and not result.passed
    assert "while running scenario 'bowl'" in result.notes[0]


def test_result_reads_well_in_text_markdown_and_html():
    result = trainlab.check(fixture_class("reset_adagrad"))
    text = str(result)
    assert text.splitlines()[0] == "trainlab check AdaGrad"
    for part in (
        "DEPARTS from trainlab's AdaGrad",
        "first departure: bowl, step 2, x",
        "before the step",
        "yours",
        "trainlab's",
        "difference",
        "most likely cause: the state (h) is re-initialised on every call",
    ):
        assert part in text
    md = result._repr_markdown_()
    assert "**DEPARTS from trainlab's AdaGrad**" in md and "```" in md
    html = result._repr_html_()
    assert html.startswith("<div>") and "re-initialised on every call" in html
    assert "<script" not in html


def test_result_survives_json():
    result = trainlab.check(fixture_class("sgd_writes_grads"))
    again = Result.from_dict(result.to_dict())
    assert again == result and str(again) == str(result)
