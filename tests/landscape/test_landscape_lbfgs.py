"""LBFGS on the landscape: the path it draws is torch.optim.LBFGS's, step by step,
through the race, the command (with its options) and the widget."""

import json

import numpy as np
import pytest
from torch_lbfgs import torch_landscape_steps

from trainlab.cli import main
from trainlab.errors import ConfigError
from trainlab.landscape import FUNCTIONS, get_function, path, race, trace
from trainlab.landscape.rules import RULES, ClosureSteps, options
from trainlab.optim import LBFGS, create

TOL = 1e-10
SEARCHES = [None, "strong_wolfe"]
NAMES = sorted(set(FUNCTIONS) - {"notes"})
# the saddle is unbounded below: with the line search torch's fused p + t*d and
# NumPy's two roundings part within the first step (see tests/optim/test_optim_lbfgs.py)
CASES = [(n, s) for n in NAMES for s in SEARCHES if (n, s) != ("saddle", "strong_wolfe")]


def same_path(points: np.ndarray, theirs: np.ndarray) -> float:
    """The largest difference between the path's points after the start and torch's,
    relative where they exceed 1."""
    now = theirs[:, :2]
    mine = points[1 : len(now) + 1]
    return float(np.max(np.abs(mine - now) / np.maximum(1, np.abs(now)), initial=0.0))


@pytest.mark.parametrize("name,search", CASES, ids=[f"{n}-{s or 'fixed'}" for n, s in CASES])
def test_the_path_is_torchs(name, search):
    f = get_function(name)
    lr = 0.01 if (name, search) == ("rosenbrock", None) else 0.5  # fixed steps: inside the window
    kw = {"max_iter": 4, "history_size": 5, "line_search_fn": search}
    steps = 6
    r = race(f, ["lbfgs"], steps=steps, lrs={"lbfgs": lr}, options={"lbfgs": kw}, newton=False)
    t, drawn_lr = r.traces["lbfgs"]
    theirs = torch_landscape_steps(f, {"lr": lr, **kw}, f.start, steps)
    assert drawn_lr == lr and len(theirs) >= 2
    assert same_path(t.points, theirs) <= TOL
    assert not t.diverged or t.diverged_at > len(theirs)
    assert np.hypot(*(t.points[t.last] - f.start)) > 1e-2, "the path hardly moved"


@pytest.mark.parametrize("search", SEARCHES)
def test_a_quadratic_minimum_is_reached_in_a_step_of_a_few_iterations(search):
    f = get_function("quadratic:kappa=100,angle=30")
    minimum = np.asarray(f.minima[0])
    one_step = path(f, create("lbfgs", line_search_fn=search), (3, -4), 1)  # max_iter=20
    assert np.abs(one_step[-1] - minimum).max() < 1e-8
    each = path(f, create("lbfgs", line_search_fn=search, max_iter=1), (3, -4), 6)
    error = np.abs(each - minimum).max(axis=1)
    assert error[3] > 0.1 and error[4] < 1e-8  # two pairs learn the 2x2 curvature


def test_a_closure_rule_is_adapted_once_and_the_gradient_rules_are_not():
    f = get_function("bowl")
    lbfgs, adam = LBFGS(lr=0.5), create("adam")
    assert isinstance(create("LBFGS"), LBFGS) and create("adam").__class__ is adam.__class__
    steps = ClosureSteps(f, lbfgs)
    assert steps.lr == 0.5
    np.testing.assert_array_equal(trace(f, steps).points, trace(f, LBFGS(lr=0.5)).points)
    assert set(RULES) > {"lbfgs", "adam", "sgd"}
    assert options("lbfgs")[:2] == ["lr", "max_iter"] and options("adam")[0] == "lr"
    with pytest.raises(ConfigError, match="lbfgs has no option momentum"):
        create("lbfgs", momentum=0.9)


def test_tuning_keeps_the_rules_options():
    f = get_function("bowl")
    kw = {"line_search_fn": "strong_wolfe", "max_iter": 2}
    r = race(f, ["lbfgs"], steps=5, tune=True, tune_points=3, options={"lbfgs": kw})
    t, lr = r.traces["lbfgs"]
    np.testing.assert_array_equal(t.points, path(f, LBFGS(lr=lr, **kw), f.start, 5))


def test_the_command_takes_lbfgs_with_its_line_search(tmp_path, capsys):
    out = tmp_path / "l"
    argv = ["landscape", "--optimizers", "adam,lbfgs", "--steps", "5", "--out", str(out)]
    opts = ["--opt", "lbfgs.line_search_fn=strong_wolfe", "--opt", "lbfgs.max_iter=3"]
    assert main([*argv, *opts]) == 0
    assert "lbfgs" in capsys.readouterr().out
    kw = {"line_search_fn": "strong_wolfe", "max_iter": 3}
    assert json.loads((out / "config.json").read_text())["options"] == {"lbfgs": kw}
    rec = json.loads((out / "paths.json").read_text())["optimizers"]["lbfgs"]
    assert rec["lr"] == 1.0 and rec["lr_source"] == "rule default"
    want = path("bowl", LBFGS(**kw), steps=5)
    np.testing.assert_allclose(rec["points"], want, rtol=0, atol=1e-15)


@pytest.mark.parametrize(
    "opt,words",
    [
        ("lbfgs=1", "NAME.KEY=VALUE"),
        ("lbfgs.nope=1", "no option nope"),
        ("lbfgs.line_search_fn=backtracking", "line_search_fn"),
        ("lbfgs.lr=0.5", "as its lr"),
        ("sgd.momentum=0.9", "not among the optimizers"),
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path, capsys, opt, words):
    argv = ["landscape", "--optimizers", "lbfgs", "--out", str(tmp_path / "x"), "--opt", opt]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()


def test_the_widget_takes_lbfgs_with_its_options():
    from trainlab.notebooks import LandscapeLab

    kw = {"line_search_fn": "strong_wolfe"}
    lab = LandscapeLab("bowl", rules=("adam", "lbfgs"), options={"lbfgs": kw})
    assert set(lab.traces) == {"adam", "lbfgs"} and lab.rules["lbfgs"]["option"] is None
    want = path("bowl", LBFGS(lr=lab.rules["lbfgs"]["lr"].value, **kw), steps=lab.steps_box.value)
    np.testing.assert_array_equal(lab.traces["lbfgs"].points, want)
