"""Notebook 11's labs: the line of rules, every later rule beside Adam and AdamW,
and the rules on the notes' network at a factor of AdamW's learning rate."""

from __future__ import annotations

import pytest

from trainlab.landscape import get_function
from trainlab.landscape.base import lr_for
from trainlab.notebooks import LandscapeLab, NetworkRulesLab, RivalsLab
from trainlab.notebooks.rule_line import LINE, line_figure, newer_rules
from trainlab.optim import RULES

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_line_runs_in_order_and_names_every_later_rule():
    years = [row[0] for row in LINE]
    assert years == sorted(years) and years[0] == 1951
    named = {row[2] for row in LINE}
    assert set(newer_rules()) <= named
    assert line_figure("ko").axes[0].texts


def test_rivals_draw_every_later_rule_beside_adam_and_adamw():
    lab = RivalsLab("bowl", lang="ko")
    assert lab.rules == newer_rules() and lab.image.value[:8] == PNG
    assert set(lab.traces) == {"adam", "adamw", *newer_rules()}
    png = lab.image.value
    lab.function_box.value = "rosenbrock"
    assert lab.steps_box.value == get_function("rosenbrock").steps
    assert lab.image.value != png
    assert not any(t.diverged for t in lab.traces.values())


def test_the_landscape_widget_takes_every_rule_at_its_borrowed_lr():
    lab = LandscapeLab("bowl", rules=list(RULES), lang="en")
    assert set(lab.traces) == set(RULES)
    f = get_function("bowl")
    for rule, row in lab.rules.items():
        want = lr_for(f, rule)
        if want is not None:
            assert row["lr"].value == pytest.approx(want, rel=0.06), rule


def test_network_rules_take_the_rules_factor_or_none():
    lab = NetworkRulesLab(("adamw", "lion", "prodigy"), lr=0.01, epochs=2, train_size=200)
    assert lab.curves["lion"][0] == pytest.approx(0.01 * RULES["lion"].lr_vs_adamw)
    assert lab.curves["adamw"][0] == pytest.approx(0.01)
    png = lab.image.value
    assert lab.curves["prodigy"][0] == pytest.approx(0.01 * RULES["prodigy"].lr_vs_adamw)
    lab.scale_box.value = "none"
    assert lab.curves["lion"][0] == pytest.approx(0.01) and lab.image.value != png
    lab.rules_box.value = ("lamb",)
    assert list(lab.curves) == ["lamb"]


def test_lion_wants_a_smaller_lr_than_adamw():
    assert RULES["lion"].lr_vs_adamw < 1  # the paper's 3-10x smaller, over 10 epochs
