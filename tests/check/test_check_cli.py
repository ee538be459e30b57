"""``trainlab check`` on the command line: exit codes, one-line errors, time limit, tracebacks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_rules import FIXTURES

import trainlab

SRC = str(Path(trainlab.__file__).resolve().parents[1])
#: trainlab's own files, which no traceback shown to the learner may name
PACKAGE = str(Path(trainlab.__file__).resolve().parent) + os.sep


def check(*args, timeout=120):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "trainlab.cli", "check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return proc.returncode, proc.stdout, proc.stderr


def one_line_error(rc, out, err):
    assert rc == 2, (out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trainlab: error: "), err
    return lines[0]


def test_a_correct_rule_exits_0():
    rc, out, err = check(FIXTURES / "book_adagrad.py")
    assert rc == 0, err
    assert "PASS: the same numbers as trainlab's AdaGrad" in out
    assert "rule: adagrad (from the class name AdaGrad)" in out


def test_a_departure_exits_1_with_the_cause():
    rc, out, _ = check(FIXTURES / "reset_adagrad.py:AdaGrad")
    assert rc == 1
    assert "DEPARTS from trainlab's AdaGrad" in out
    assert "first departure: bowl, step 2, x" in out
    assert "most likely cause: the state (h) is re-initialised on every call" in out


def test_a_known_variant_exits_0_with_a_note():
    rc, out, _ = check(FIXTURES / "adam_eps_inside.py")
    assert rc == 0
    assert "known variant: eps inside the square root" in out


def test_a_class_among_several_is_chosen_after_a_colon():
    rc, out, _ = check(f"{FIXTURES / 'two_rules.py'}:Broken", "--rule", "sgd")
    assert rc == 1 and "a sign error" in out
    line = one_line_error(*check(FIXTURES / "two_rules.py", "--rule", "sgd"))
    assert "several rules (SGD, Broken)" in line and "two_rules.py:CLASS" in line


def test_a_file_of_several_rules_checks_each():
    rc, out, _ = check(FIXTURES / "two_rules.py")
    assert rc == 1
    assert "trainlab check two_rules.py:SGD\nrule: sgd" in out
    assert "rule: sgd (recognised from its behaviour: sgd, if a sign error" in out
    assert out.rstrip().endswith("1 of 2 rules pass; not two_rules.py:Broken")


@pytest.mark.parametrize(
    "args, words",
    [
        (["missing.py"], "no such file"),
        (["book_sgd.py:Nope"], "has no class Nope (its classes: SGD)"),
        (["no_update.py"], "no class with an update(params, grads) method"),
        (["no_update.py:Adam"], "Adam has no update(params, grads) method"),
        (["book_sgd.py", "--rule", "lbfgs"], "unknown rule 'lbfgs'"),  # takes a closure
        (["unknown_rule.py"], "cannot tell which rule MyRule is"),
        (["book_sgd.py", "--opt", "momentum=0.9"], "takes no parameter 'momentum'"),
        (["book_sgd.py", "--opt", "lr=fast"], "lr must be a number"),
        (["book_sgd.py", "--opt", "lr"], "expected key=value"),
        (["book_sgd.py", "--timeout", "0"], "timeout must be a finite number > 0"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, words):
    target, *rest = args
    line = one_line_error(*check(FIXTURES / target, *rest))
    assert words in line, line


def test_opt_sets_a_constructor_argument_by_its_own_name():
    rc, out, _ = check(FIXTURES / "book_momentum.py", "--opt", "momentum=0.5", "--opt", "lr=0.02")
    assert rc == 0
    assert "Momentum(lr=0.02, momentum=0.5)" in out


def test_an_endless_loop_is_stopped_by_the_time_limit():
    rc, out, _ = check(FIXTURES / "endless_loop.py", "--timeout", "6", timeout=60)
    assert rc == 1
    assert "TIMEOUT" in out
    assert "stopped after 6 s, while running scenario 'bowl'" in out


def test_a_loop_that_prints_is_stopped_and_its_output_dropped():
    rc, out, err = check(FIXTURES / "endless_chatty_loop.py", "--timeout", "6", timeout=60)
    assert rc == 1 and "while running scenario 'bowl'" in out
    assert "still going" not in out + err


def test_a_nan_step_comes_back_from_the_child_as_nan():
    rc, out, _ = check(FIXTURES / "adam_iter_used_before_increment.py")
    assert rc == 1
    assert "yours            nan" in out and "yours is nan, not a number" in out
    assert "most likely cause: the step counter is used before it is incremented" in out


def test_sys_exit_in_update_is_an_error_of_theirs():
    rc, out, _ = check(FIXTURES / "exits_in_update.py")
    assert rc == 1
    assert "your update raised SystemExit: 3" in out
    assert 'exits_in_update.py", line 10, in update' in out


def test_an_exception_shows_the_learners_own_traceback():
    rc, out, _ = check(FIXTURES / "raises_in_update.py")
    assert rc == 1
    assert "ERROR: your code raised an exception" in out
    assert f'File "{FIXTURES / "raises_in_update.py"}", line 11, in update' in out
    assert "self.h[key] += grads[key] * grads[key]" in out
    assert "TypeError: 'NoneType' object is not subscriptable" in out
    assert PACKAGE not in out.split("your traceback:")[1]


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("syntax_error.py", 5, "SyntaxError"),
        ("raises_on_import.py", 4, "KeyError: 'second'"),
        ("raises_in_init.py", 7, "ValueError: lr must be positive"),
    ],
)
def test_a_file_that_does_not_import_shows_where(name, line, words):
    rc, out, _ = check(FIXTURES / name)
    assert rc == 1
    assert f'{FIXTURES / name}", line {line}' in out
    assert words in out
    assert "importlib" not in out and PACKAGE not in out.split("your traceback:")[1]
