"""from_reference(name, **kw) takes the same steps as the authors' code: Schedule-Free
SGD and AdamW (``schedulefree``), Prodigy (``prodigyopt``) and SOAP (``pytorch_optimizer``).

The reference (torch, CPU) runs beside trainlab: random shapes (a 0-d and a
1-element parameter included), random options drawn from a seeded generator,
random gradients fed to both, float64, 100 steps; the largest difference must
stay below 1e-10. The schedule-free rules are also compared in eval mode (the
average ``x``) every few steps, switching both sides back and forth.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import torch
from optim_testkit import FACTORIES, copy, random_problem
from stop_at import StopAt

from trainlab.errors import ConfigError
from trainlab.io import load_npz, read_json
from trainlab.nn import MultiLayerNet
from trainlab.optim import RULES, Partition, create, from_reference, options
from trainlab.train import Data, TrainConfig, Trainer, TrainingInterrupted

STEPS = 100
TOL = 1e-10


@pytest.fixture(autouse=True)
def float64_torch():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def reference_class(name: str):
    module, cls = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), cls)


# reference -> option sets; numbers are drawn, flags name the options covered
VARIANTS = {
    "schedulefree.SGDScheduleFree": [
        {},
        {"momentum", "weight_decay"},
        {"warmup_steps"},
        {"warmup_steps", "r", "weight_lr_power"},
        {"momentum", "weight_decay", "warmup_steps", "r"},
    ],
    "schedulefree.AdamWScheduleFree": [
        {},
        {"betas", "eps"},
        {"weight_decay"},
        {"warmup_steps", "r", "weight_lr_power"},
        {"betas", "weight_decay", "warmup_steps", "r", "weight_lr_power"},
    ],
    "prodigyopt.Prodigy": [
        {},
        {"betas", "beta3", "eps"},
        {"weight_decay"},
        {"weight_decay", "decouple"},
        {"use_bias_correction", "safeguard_warmup", "d0"},
        {"d0", "d_coef", "growth_rate"},
        {"slice_p", "weight_decay"},
        {"beta1=0", "use_bias_correction", "weight_decay", "decouple"},
    ],
    "pytorch_optimizer.SOAP": [
        {},
        {"betas", "shampoo_beta", "eps"},
        {"weight_decay", "maximize"},
        {"precondition_frequency"},
        {"max_precondition_dim"},
        {"precondition_1d", "precondition_frequency"},
        {"correct_bias", "normalize_gradient"},
        {"merge_dims"},
        {"merge_dims", "data_format", "weight_decay"},
    ],
}


def draw(name: str, flags: set, rng) -> dict:
    """Random values for the options in ``flags`` (the rest keep the reference's defaults)."""
    values = {
        "momentum": rng.uniform(0.5, 0.98),
        "weight_decay": loguniform(rng, 1e-4, 1e-1),
        "warmup_steps": int(rng.integers(1, 40)),
        "r": rng.uniform(0.0, 2.0),
        "weight_lr_power": rng.uniform(0.0, 3.0),
        "betas": (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.9999))),
        "eps": loguniform(rng, 1e-10, 1e-3),
        "beta3": rng.uniform(0.8, 0.999),
        "decouple": False,
        "use_bias_correction": True,
        "safeguard_warmup": True,
        "d0": loguniform(rng, 1e-7, 1e-2),
        "d_coef": rng.uniform(0.3, 3.0),
        "growth_rate": rng.uniform(1.01, 1.5),
        "slice_p": int(rng.integers(2, 5)),
        "beta1=0": (0.0, float(rng.uniform(0.9, 0.9999))),
        "shampoo_beta": rng.uniform(0.5, 0.99),
        "maximize": True,
        "precondition_frequency": int(rng.integers(1, 8)),
        "max_precondition_dim": int(rng.integers(2, 5)),
        "precondition_1d": True,
        "correct_bias": False,
        "normalize_gradient": True,
        "merge_dims": True,
        "data_format": "channels_last",
    }
    kw = {k: values[k] for k in flags if k != "beta1=0"}
    if "merge_dims" in flags:  # the axes of MERGE_SHAPES merge below 6
        kw["max_precondition_dim"] = 6
    if "beta1=0" in flags:
        kw["betas"] = values["beta1=0"]
    lr = {
        "schedulefree.AdamWScheduleFree": (1e-3, 1e-1),
        "prodigyopt.Prodigy": (0.1, 2.0),
        "pytorch_optimizer.SOAP": (1e-3, 3e-2),
    }
    kw["lr"] = loguniform(rng, *lr.get(name, (1e-2, 0.5)))
    return {k: (float(v) if isinstance(v, np.floating) else v) for k, v in kw.items()}


def flat_views(arrays: dict, dtype):
    """Copies of ``arrays`` as views into one buffer (as MultiLayerNet lays its parameters)."""
    buf = np.empty(sum(a.size for a in arrays.values()), dtype)
    views, off = {}, 0
    for k, a in arrays.items():
        views[k] = buf[off : off + a.size].reshape(a.shape)
        views[k][...] = a
        off += a.size
    return buf, views


def random_shapes(rng):
    shapes = [(), (1,), (int(rng.integers(2, 6)),) * 2]  # 0-d, 1 element, square
    for _ in range(rng.integers(2, 4)):
        shapes.append(tuple(int(d) for d in rng.integers(1, 6, size=rng.integers(1, 4))))
    return shapes


#: shapes whose axes merge below 6 (pytorch_optimizer.SOAP refuses vectors when merging)
MERGE_SHAPES = [(), (1,), (2, 3, 4), (4, 5), (2, 3, 2, 2)]


def same_basis(ref, tparams, opt, step: int, refreshes: bool) -> None:
    """Give trainlab SOAP the reference's eigenbasis where the two need not agree:
    after the first step where a factor is singular (all but square matrices:
    there the basis is not unique) and, with ``refreshes``, after every refresh
    (the reference runs its QR in float32, whose rounding differs between LAPACKs)."""
    k = step  # the steps count from 0 here: the reference's k = t - 1
    refreshed = refreshes and k > 0 and k % opt.precondition_frequency == 0
    for i, t in enumerate(tparams):
        square = t.ndim == 2 and t.shape[0] == t.shape[1]
        if refreshed or (k == 0 and not square):
            for j, q in enumerate(ref.state[t]["Q"]):
                if len(q) and t.ndim:  # (merging, it gives a 0-d parameter a 1x1 basis)
                    opt.state[f"w{i}"][f"Q{j}"][...] = q.numpy()


def run_both(
    name: str, kw: dict, seed: int, new_lr: float | None = None, shapes=None, refreshes=True
) -> float:
    """Max |trainlab - reference| over all parameters and steps (and eval-mode weights)."""
    rng = np.random.default_rng(seed)
    if shapes is None:
        shapes = MERGE_SHAPES if kw.get("merge_dims") else random_shapes(rng)
    start = [rng.standard_normal(s) for s in shapes]
    tparams = [torch.tensor(a, requires_grad=True) for a in start]
    ref = reference_class(name)(tparams, **kw)
    switches = hasattr(ref, "eval")
    if switches:
        ref.train()
    mine = {f"w{i}": a.copy() for i, a in enumerate(start)}
    opt = from_reference(name, **kw)

    def worst_now() -> float:
        return max(
            float(np.max(np.abs(t.detach().numpy() - mine[f"w{i}"]))) for i, t in enumerate(tparams)
        )

    worst = 0.0
    for step in range(STEPS):
        if new_lr is not None and step == STEPS // 2:
            for group in ref.param_groups:
                group["lr"] = new_lr
            opt.lr = new_lr
        # the gradient of 0.5 ||w||^2 plus noise: a pull the step sizes can learn from
        grads = [mine[f"w{i}"] + 0.5 * rng.standard_normal(s) for i, s in enumerate(shapes)]
        for t, g in zip(tparams, grads, strict=True):
            t.grad = torch.tensor(g)
        ref.step()
        opt.update(mine, {f"w{i}": g for i, g in enumerate(grads)})
        if "SOAP" in name:
            same_basis(ref, tparams, opt, step, refreshes)
        worst = max(worst, worst_now())
        if switches and step % 7 == 3:  # the average x, then back to y
            ref.eval()
            opt.eval(mine)
            worst = max(worst, worst_now())
            ref.train()
            opt.train(mine)
    moved = max(float(np.max(np.abs(mine[f"w{i}"] - a))) for i, a in enumerate(start))
    assert moved > 1e-3, "the parameters hardly moved; the comparison would say little"
    return worst


CASES = [
    (name, i, flags) for name, variants in VARIANTS.items() for i, flags in enumerate(variants)
]


@pytest.mark.parametrize(
    "name,index,flags",
    CASES,
    ids=[f"{n.split('.')[1]}-{'+'.join(sorted(f)) or 'defaults'}" for n, _, f in CASES],
)
def test_matches_reference(name, index, flags):
    for draw_no in range(2):  # two independent draws of every option set
        seed = 1000 * index + draw_no + 17 * len(name)
        kw = draw(name, flags, np.random.default_rng(seed))
        worst = run_both(name, kw, seed)
        assert worst <= TOL, (kw, worst)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lr_changed_mid_run_matches_reference(name):
    kw = draw(name, {"warmup_steps"} if "schedulefree" in name else set(), np.random.default_rng(5))
    assert run_both(name, kw, seed=99, new_lr=kw["lr"] * 0.3) <= TOL
    assert run_both(name, kw, seed=98, new_lr=kw["lr"] * 3.0) <= TOL


SQUARE_SHAPES = [(), (1,), (3, 3), (5, 5), (4,)]


def test_soap_finds_the_reference_basis_itself_on_square_parameters():
    # a square factor's eigenbasis is unique: no basis is handed over (except the
    # vector's singular one with precondition_1d), and without a refresh in the
    # 100 steps the paths agree to float64's rounding
    for seed, kw in enumerate([{}, {"precondition_1d": True, "weight_decay": 0.05}]):
        kw = {"lr": 0.01, "precondition_frequency": STEPS + 1, **kw}
        worst = run_both("pytorch_optimizer.SOAP", kw, seed, shapes=SQUARE_SHAPES, refreshes=False)
        assert worst <= TOL, (kw, worst)


def test_soap_with_its_own_refreshes_stays_within_float32_of_the_reference():
    # the refresh's QR runs in float32 (as in the reference), and two LAPACKs round
    # it differently (up to ~1e-6 in Q): the paths then agree to that precision
    for seed, kw in enumerate([{}, {"precondition_frequency": 3, "precondition_1d": True}]):
        kw = {"lr": 0.01, **kw}
        worst = run_both("pytorch_optimizer.SOAP", kw, seed, shapes=SQUARE_SHAPES, refreshes=False)
        assert worst <= 1e-6, (kw, worst)


def reference_soap_path(kw: dict, seed: int, qr) -> list[np.ndarray]:
    """The reference SOAP's parameters after 100 steps, its QR replaced by ``qr``."""
    rng = np.random.default_rng(seed)
    tparams = [torch.tensor(rng.standard_normal(s), requires_grad=True) for s in SQUARE_SHAPES]
    ref = reference_class("pytorch_optimizer.SOAP")(tparams, **kw)
    original = torch.linalg.qr
    torch.linalg.qr = qr
    try:
        for _ in range(STEPS):
            for t in tparams:
                t.grad = t.detach() + 0.5 * torch.tensor(rng.standard_normal(t.shape))
            ref.step()
    finally:
        torch.linalg.qr = original
    return [t.detach().numpy().copy() for t in tparams]


def test_the_reference_itself_moves_by_more_than_1e_8_when_its_float32_qr_rounds_otherwise():
    # why the bound above is 1e-6 and not 1e-8: the reference casts its refresh's power
    # iterate to float32 before the QR. Another equally valid float32 QR (here the float64
    # one, rounded to float32: what a different LAPACK's blocking amounts to) moves the
    # reference's own path by more than 1e-8, so no reimplementation can promise 1e-8
    float32_qr = torch.linalg.qr

    def rounded_float64_qr(a):
        q, r = float32_qr(a.to(torch.float64))
        return q.to(a.dtype), r.to(a.dtype)

    kw = {"lr": 0.01, "precondition_frequency": 3, "precondition_1d": True}
    as_is = reference_soap_path(kw, 1, float32_qr)
    other = reference_soap_path(kw, 1, rounded_float64_qr)
    spread = max(float(np.max(np.abs(a - b))) for a, b in zip(as_is, other, strict=True))
    assert 1e-8 < spread <= 1e-6, spread


# -- the trainlab side: names, options, state, the one-pass path ----------------------------
#: the rules of this file, by their trainlab names (configured in optim_testkit.FACTORIES)
NAMES = ["schedulefreesgd", "schedulefreeadamw", "prodigy", "soap"]
SWITCHING = NAMES[:2]  # the schedule-free ones


def test_every_rule_here_has_a_name_and_its_options():
    assert set(NAMES) <= set(RULES) & set(FACTORIES)
    assert options(RULES["schedulefreesgd"]) == [
        "lr",
        "momentum",
        "warmup_steps",
        "r",
        "weight_lr_power",
        "weight_decay",
        "decoupled_weight_decay",
        "maximize",
        "nonfinite",
    ]
    assert "decoupled_weight_decay" not in options(RULES["schedulefreeadamw"])
    assert "decoupled_weight_decay" not in options(RULES["prodigy"])
    assert {"beta3", "decouple", "d0", "d_coef", "growth_rate", "slice_p"} <= set(
        options(RULES["prodigy"])
    )
    assert {"beta1", "beta2", "eps", "weight_decay", "warmup_steps"} <= set(
        options(RULES["schedulefreeadamw"])
    )


@pytest.mark.parametrize(
    "name,kw",
    [
        ("schedulefreesgd", {"momentum": 0.0}),
        ("schedulefreesgd", {"momentum": 1.0}),
        ("schedulefreesgd", {"warmup_steps": -1}),
        ("schedulefreesgd", {"warmup_steps": 2.5}),
        ("schedulefreesgd", {"r": -1.0}),
        ("schedulefreeadamw", {"beta1": 0.0}),
        ("schedulefreeadamw", {"beta2": 1.0}),
        ("schedulefreeadamw", {"eps": 0.0}),
        ("schedulefreeadamw", {"weight_decay": -0.1}),
        ("schedulefreeadamw", {"lr": True}),
        ("schedulefreeadamw", {"decoupled_weight_decay": True}),
        ("prodigy", {"d0": 0.0}),
        ("prodigy", {"d_coef": -1.0}),
        ("prodigy", {"growth_rate": 0.0}),
        ("prodigy", {"slice_p": 0}),
        ("prodigy", {"beta3": 1.0}),
        ("prodigy", {"beta3": "0.5"}),
        ("prodigy", {"beta1": 1.0}),
        ("prodigy", {"decouple": 1}),
        ("prodigy", {"decoupled_weight_decay": True}),
        ("soap", {"precondition_frequency": 0}),
        ("soap", {"max_precondition_dim": 0}),
        ("soap", {"shampoo_beta": 1.0}),
        ("soap", {"shampoo_beta": "0.9"}),
        ("soap", {"beta1": 1.0}),
        ("soap", {"eps": -1e-8}),
        ("soap", {"weight_decay": -0.01}),
        ("soap", {"data_format": "nchw"}),
        ("soap", {"decoupled_weight_decay": True}),
    ],
)
def test_bad_options_are_refused(name, kw):
    with pytest.raises(ConfigError):
        create(name, **kw)


def test_unknown_reference_option_is_refused():
    with pytest.raises(ConfigError, match="warmup_steps"):
        from_reference("schedulefree.SGDScheduleFree", betas=(0.9, 0.99))


def test_reference_defaults_apply():
    sgd = from_reference("schedulefree.SGDScheduleFree")
    assert (sgd.lr, sgd.momentum, sgd.weight_decay) == (1.0, 0.9, 0.0)
    adamw = from_reference("schedulefree.AdamWScheduleFree", foreach=False)
    assert (adamw.lr, adamw.beta1, adamw.beta2, adamw.eps) == (0.0025, 0.9, 0.999, 1e-8)
    prodigy = from_reference("prodigyopt.Prodigy", fsdp_in_use=False)
    assert (prodigy.lr, prodigy.d0, prodigy.growth_rate) == (1.0, 1e-6, float("inf"))
    assert prodigy.beta3 == 0.999**0.5 and prodigy.decouple
    soap = from_reference("pytorch_optimizer.SOAP", betas=(0.9, 0.99))
    assert (soap.lr, soap.beta1, soap.shampoo_beta, soap.weight_decay) == (3e-3, 0.9, 0.99, 1e-2)


def test_update_in_eval_mode_is_refused_and_changes_nothing():
    params, grads = random_problem(0, 3)
    opt = FACTORIES["schedulefreeadamw"]()
    opt.update(params, grads[0])
    opt.eval(params)
    before = copy(params)
    with pytest.raises(ConfigError, match="train"):
        opt.update(params, grads[1])
    assert opt.t == 1
    assert all(np.array_equal(before[k], params[k]) for k in params)
    opt.eval(params)  # a second eval does not move the weights again
    assert all(np.array_equal(before[k], params[k]) for k in params)


def switch(opt, mode: str, params: dict) -> None:
    """``opt.train(params)`` or ``opt.eval(params)`` for the schedule-free rules."""
    if hasattr(opt, "train_mode"):
        getattr(opt, mode)(params)


@pytest.mark.parametrize(
    "name,mode", [(n, "train") for n in NAMES] + [(n, "eval") for n in SWITCHING]
)
def test_state_dict_round_trip_gives_the_same_next_steps(name, mode):
    params, grads = random_problem(1, 30)
    opt = FACTORIES[name]()
    for g in grads[:20]:
        opt.update(params, g)
    switch(opt, mode, params)
    saved, saved_params = {k: np.array(v) for k, v in opt.state_dict().items()}, copy(params)
    again = FACTORIES[name]()
    again.load_state_dict(saved)
    assert getattr(again, "train_mode", True) == (mode == "train")
    twin = copy(saved_params)
    for o, p in ((opt, params), (again, twin)):
        switch(o, "train", p)
        for g in grads[20:]:
            o.update(p, g)
        switch(o, "eval", p)
    for k in params:
        assert np.array_equal(params[k], twin[k]), k
    assert not np.array_equal(params["p0"], saved_params["p0"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_flat_buffer_equals_separate_arrays(name, dtype):
    start, grads = random_problem(3, 20, dtype, shapes=[(40, 30), (), (1,), (3, 2, 4)])
    _, flat = flat_views(start, dtype)
    sep = copy(start)
    gbuf, gflat = flat_views(start, dtype)
    opt_flat, opt_sep = FACTORIES[name](), FACTORIES[name]()
    for i, g in enumerate(grads):
        for k in gflat:
            gflat[k][...] = g[k]
        opt_flat.update(flat, gflat)
        opt_sep.update(sep, g)
        if i % 5 == 4:
            for o, p in ((opt_flat, flat), (opt_sep, sep)):
                switch(o, "eval", p)
                switch(o, "train", p)
    if opt_flat.per_parameter:  # a matrix rule: one parameter at a time, on the views
        assert opt_flat.flat.state is None
    else:
        assert opt_flat.flat.state is not None, "the one-pass path was not taken"
    assert opt_sep.flat.state is None
    for k in start:
        assert np.array_equal(flat[k], sep[k]), k
        assert not np.array_equal(flat[k], start[k]), k
    for k, s in opt_sep.state.items():
        for field, arr in s.items():
            assert np.array_equal(opt_flat.state[k][field], arr), (k, field)


# -- the training loop respects the switch ---------------------------------------------------
def sf_rule(grouped: bool):
    """Schedule-Free AdamW alone, or on the weight matrices of a partition (SGD on the rest)."""
    rule = create("schedulefreeadamw", lr=0.01, weight_decay=0.01, warmup_steps=4)
    return Partition([("W*", rule), ("*", create("sgd", lr=0.05))]) if grouped else rule


def schedule_free(opt):
    """The schedule-free rule: ``opt`` itself, or its partition's first group."""
    return opt.rules[0] if isinstance(opt, Partition) else opt


def sf_trainer(folder=None, every=None, callbacks=(), epochs=4, grouped=False):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((120, 6))
    t = (x[:, 0] + x[:, 1] > 0).astype(int)
    net = MultiLayerNet(6, [10], 2, use_batchnorm=True, rng=np.random.default_rng(1))
    return Trainer(
        net,
        Data(x[:90], t[:90], x[90:], t[90:]),
        sf_rule(grouped),
        TrainConfig(
            epochs=epochs,
            mini_batch_size=20,  # 5 steps per epoch
            rng=np.random.default_rng(2),
            progress=False,
            checkpoint_dir=folder,
            checkpoint_every=every,
            callbacks=callbacks,
        ),
    )


class Watch:
    """Keeps y and z after each step; at an epoch's end, checks the net holds x."""

    def __init__(self):
        self.checked = 0

    def on_step(self, trainer, it, loss):
        opt = schedule_free(trainer.optimizer)
        assert opt.train_mode
        self.y = copy(trainer.network.params)
        self.z = {k: s["z"].copy() for k, s in opt.state.items()}

    def on_epoch_end(self, trainer, epoch, record):
        opt, net = schedule_free(trainer.optimizer), trainer.network
        assert not opt.train_mode
        for k in self.y.keys() - self.z.keys():  # a partition's other groups keep theirs
            assert np.array_equal(net.params[k], self.y[k]), k
        for k, z in self.z.items():  # x = y + (1 - 1/beta1)(z - y), written out
            y = self.y[k]
            x = y + (1.0 - 1.0 / opt.beta1) * (z - y)
            np.testing.assert_allclose(net.params[k], x, rtol=0, atol=1e-12)
            assert np.max(np.abs(x - y)) > 1e-6, "x and y would not tell the modes apart"
        assert record["test_acc"] == net.evaluate(*trainer.data.sets(None)[-1][1:])[1]
        self.checked += 1
        return False


def sf_state(trainer):
    net = trainer.network
    h = {k: v for k, v in trainer.history.items() if k != "time"}
    opt = {k: v.tobytes() for k, v in trainer.optimizer.state_dict().items()}
    return net.flat_params.tobytes(), {k: v.tobytes() for k, v in net.buffers().items()}, h, opt


@pytest.fixture(scope="module", params=[False, True], ids=["alone", "in-a-partition"])
def sf_reference(request):
    """Whether the rule is grouped in a partition, and its uninterrupted run's end."""
    tr = sf_trainer(grouped=request.param)
    tr.train()
    return request.param, sf_state(tr)


@pytest.mark.parametrize("grouped", [False, True], ids=["alone", "in-a-partition"])
def test_training_evaluates_the_average_and_ends_in_eval_mode(grouped):
    watch = Watch()
    tr = sf_trainer(callbacks=[watch], grouped=grouped)
    tr.train()
    assert watch.checked == 4
    assert not schedule_free(tr.optimizer).train_mode  # the net keeps x, the weights to use


@pytest.mark.parametrize("stop_at", [7, 10])  # mid-epoch, and at an epoch's end
def test_resume_after_a_stop_is_bit_identical(sf_reference, tmp_path, stop_at):
    grouped, reference = sf_reference
    first = sf_trainer(tmp_path, callbacks=[StopAt(stop_at)], grouped=grouped)
    with pytest.raises(TrainingInterrupted):
        first.train()
    assert not schedule_free(first.optimizer).train_mode  # stopped: the net holds x
    resumed = sf_trainer(tmp_path, grouped=grouped)
    resumed.load_checkpoint()
    # the mode it was saved in
    assert schedule_free(resumed.optimizer).train_mode == (stop_at == 7)
    resumed.train()
    assert sf_state(resumed) == reference


def test_resume_from_an_epoch_checkpoint_is_bit_identical(sf_reference, tmp_path):
    grouped, reference = sf_reference
    first = sf_trainer(tmp_path, every=1, epochs=2, grouped=grouped)
    first.train()
    saved = load_npz(tmp_path / read_json(tmp_path / "checkpoint.json")["arrays"])
    mode = "optimizer/rules/0/extra/train_mode" if grouped else "optimizer/extra/train_mode"
    assert not saved[mode]  # saved as evaluated: x
    assert np.array_equal(saved["params/W1"], first.network.params["W1"])
    resumed = sf_trainer(tmp_path, every=1, grouped=grouped)
    resumed.load_checkpoint()
    resumed.train()
    assert sf_state(resumed) == reference


def test_prodigy_does_not_count_a_step_without_gradient_like_the_reference():
    rng = np.random.default_rng(4)
    start = rng.standard_normal(5)
    t = torch.tensor(start, requires_grad=True)
    ref = reference_class("prodigyopt.Prodigy")([t], use_bias_correction=True, d0=1e-3)
    opt, mine = (
        from_reference("prodigyopt.Prodigy", use_bias_correction=True, d0=1e-3),
        {"w": start.copy()},
    )
    for step in range(30):
        g = np.zeros(5) if step < 3 else mine["w"] + 0.5 * rng.standard_normal(5)
        t.grad = torch.tensor(g)
        ref.step()
        opt.update(mine, {"w": g})
        assert np.max(np.abs(t.detach().numpy() - mine["w"])) <= TOL
    assert opt.t == ref.param_groups[0]["k"] == 27
    assert abs(opt.d - ref.param_groups[0]["d"]) <= 1e-12 * opt.d
