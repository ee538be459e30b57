"""Partitions: different rules for different parameters, against running each rule
alone on its parameters; their state through ``state_dict``; the train/eval switch of their
schedule-free groups; the run spec's partitions."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testkit import copy, random_problem

from trainlab.errors import ConfigError
from trainlab.io import load_npz, save_npz
from trainlab.optim import Muon, create
from trainlab.optim.partition import Partition
from trainlab.optim.schedulefree import TrainEvalSwitch
from trainlab.optim.transforms import clip_by_norm
from trainlab.train.build import optimizer
from trainlab.train.spec import OptimizerSpec, PartitionSpec, TransformSpec

SHAPES = [(7, 5), (5,), (3, 4), (4,)]


def make():
    return Partition(
        [
            (lambda name, p: p.ndim == 2, create("adamw", lr=0.01, weight_decay=0.1)),
            ("*", create("momentum", lr=0.05)),
        ]
    )


def flat(params):
    """The same parameters as views of one buffer (the one-pass case)."""
    buf = np.concatenate([v.ravel() for v in params.values()])
    out, off = {}, 0
    for k, v in params.items():
        out[k] = buf[off : off + v.size].reshape(v.shape)
        off += v.size
    return out


@pytest.mark.parametrize("one_buffer", [False, True])
def test_a_partition_runs_each_rule_as_if_alone_on_its_parameters(one_buffer):
    start, grads = random_problem(0, 6, shapes=SHAPES)
    params = flat(start) if one_buffer else copy(start)
    opt = make()
    for g in grads:
        opt.update(params, flat(g) if one_buffer else copy(g))
    matrices, vectors = ["p0", "p2"], ["p1", "p3"]
    alone = copy(start)
    adamw, momentum = create("adamw", lr=0.01, weight_decay=0.1), create("momentum", lr=0.05)
    for g in grads:
        adamw.update({k: alone[k] for k in matrices}, {k: g[k].copy() for k in matrices})
        momentum.update({k: alone[k] for k in vectors}, {k: g[k].copy() for k in vectors})
    for k in start:
        assert np.array_equal(params[k], alone[k]), k
    assert opt.groups(params) == [matrices, vectors]


def test_a_partition_resumes_bit_for_bit(tmp_path):
    start, grads = random_problem(1, 8, shapes=SHAPES)
    whole, part = copy(start), copy(start)
    opt = make().with_transforms(clip_by_norm(1.0))
    for g in grads:
        opt.update(whole, copy(g))
    first = make().with_transforms(clip_by_norm(1.0))
    for g in grads[:3]:
        first.update(part, copy(g))
    save_npz(tmp_path / "opt.npz", first.state_dict())
    assert "rules/0/state/p0/m" in first.state_dict()
    resumed = make().with_transforms(clip_by_norm(1.0))
    resumed.load_state_dict(load_npz(tmp_path / "opt.npz"))
    for g in grads[3:]:
        resumed.update(part, copy(g))
    for k in start:
        assert np.array_equal(part[k], whole[k]), k


def test_the_partitions_rate_scales_every_rule_as_a_schedule_does():
    opt = make()
    opt.lr = opt.lr / 2
    opt.update({"W": np.ones((2, 2)), "b": np.ones(2)}, {"W": np.ones((2, 2)), "b": np.ones(2)})
    assert [rule.lr for rule in opt.rules] == [0.005, 0.025]


def test_a_parameter_no_group_takes_is_named():
    opt = Partition([("W*", create("sgd"))])
    with pytest.raises(ConfigError, match="'b1'"):
        opt.update({"b1": np.ones(2)}, {"b1": np.ones(2)})
    with pytest.raises(ConfigError, match="selector"):
        Partition([("W*", "sgd")])


def test_the_run_specs_partitions_and_chain_build_one_rule():
    spec = OptimizerSpec(
        rule="adam",
        lr=0.01,
        transforms=(TransformSpec("clip_by_norm", 5.0),),
        partitions=(PartitionSpec("b*", "sgd", {"lr": 0.1}),),
    )
    rule, _ = optimizer(spec, 2, np.random.default_rng(0))
    assert isinstance(rule, Partition) and rule.lr == 0.01
    assert [type(r).__name__ for r in rule.rules] == ["SGD", "Adam"]
    assert [type(t).__name__ for t in rule.transforms] == ["clip_by_norm"]
    params = {"W1": np.ones((2, 2)), "b1": np.ones(2)}
    rule.update(params, {"W1": np.ones((2, 2)), "b1": np.ones(2)})
    np.testing.assert_array_equal(params["b1"], [0.9, 0.9])


def test_muon_on_the_hidden_matrices_and_adamw_on_the_rest():
    start, grads = random_problem(2, 5, shapes=SHAPES)
    params = flat(start)

    def hidden(name, p):
        return p.ndim == 2

    opt = Partition([(hidden, Muon(lr=0.02, ns_dtype="float")), ("*", create("adamw", lr=0.001))])
    for g in grads:
        opt.update(params, flat(g))
    alone, muon, adamw = copy(start), Muon(lr=0.02, ns_dtype="float"), create("adamw", lr=0.001)
    for g in grads:
        muon.update({k: alone[k] for k in ("p0", "p2")}, {k: g[k] for k in ("p0", "p2")})
        adamw.update({k: alone[k] for k in ("p1", "p3")}, {k: g[k] for k in ("p1", "p3")})
    for k in start:
        assert np.array_equal(params[k], alone[k]), k
    assert "Partition(hidden: Muon(" in repr(opt)


def test_a_partition_switches_its_schedule_free_groups_as_each_alone():
    start, grads = random_problem(3, 4, shapes=SHAPES)
    params = flat(start)
    opt = Partition([("p0", create("schedulefreesgd", lr=0.1)), ("*", create("adam"))])
    assert isinstance(opt, TrainEvalSwitch)
    for g in grads:
        opt.update(params, flat(g))
    alone, sf, adam = copy(start), create("schedulefreesgd", lr=0.1), create("adam")
    rest = ["p1", "p2", "p3"]
    for g in grads:
        sf.update({"p0": alone["p0"]}, {"p0": g["p0"]})
        adam.update({k: alone[k] for k in rest}, {k: g[k] for k in rest})
    opt.eval(params)
    sf.eval({"p0": alone["p0"]})
    assert not opt.rules[0].train_mode
    for k in start:
        assert np.array_equal(params[k], alone[k]), k
    with pytest.raises(ConfigError, match="eval mode"):
        opt.update(params, flat(grads[0]))
    opt.train(params)
    sf.train({"p0": alone["p0"]})
    for k in start:
        assert np.array_equal(params[k], alone[k]), k


def test_a_partition_without_a_switching_group_keeps_its_weights():
    params = {"W": np.ones((2, 2)), "b": np.ones(2)}
    opt = make()
    opt.update(params, copy(params))
    before = copy(params)
    opt.eval(params)
    opt.train(params)
    assert all(np.array_equal(params[k], before[k]) for k in params)
