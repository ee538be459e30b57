"""The run spec: exact JSON round trips over random valid specs, one-line refusals, and
run folders of trainlab 0.1.0 (tests/fixtures/release-0.1.0) read through the one-time
migration: resumed to the bits of a run started today, predicted from alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trainlab
from trainlab.cli import main
from trainlab.errors import ConfigError, DataError
from trainlab.io import read_json
from trainlab.train.spec import (
    SCHEMA,
    DataSpec,
    NetworkSpec,
    OptimizerSpec,
    OutputSpec,
    PartitionSpec,
    RunSpec,
    TrainingSpec,
    TransformSpec,
)

RELEASE = Path(__file__).parents[1] / "fixtures" / "release-0.1.0"

words = st.text("abcdefghij-_", min_size=1, max_size=8)
shares = st.floats(0, 0.99, allow_nan=False)
positive = st.floats(1e-8, 1e8, allow_nan=False, allow_infinity=False)
maybe = st.one_of  # st.none() | x
data = st.builds(
    DataSpec,
    dataset=words,
    data_dir=maybe(st.none(), words),
    file=maybe(st.none(), words),
    target=maybe(st.none(), words),
    task=st.sampled_from([None, "classification", "regression"]),
    scale=st.sampled_from(["standard", "minmax", "none"]),
    target_scale=st.sampled_from(["standard", "none"]),
    test_ratio=shares,
    split_seed=st.integers(0, 2**40),
    train_size=maybe(st.none(), st.integers(1, 10**6)),
    val_ratio=st.floats(0.01, 0.99),
)
network = st.builds(
    NetworkSpec,
    hidden=st.lists(st.integers(1, 4096), max_size=6).map(tuple),
    activation=st.sampled_from(["relu", "sigmoid", "tanh"]),
    init=st.one_of(positive, st.sampled_from(["he", "xavier", "relu", "glorot_uniform"])),
    weight_decay=st.floats(0, 10),
    dropout=shares,
    dropout_mode=st.sampled_from(["notes", "inverted"]),
    batchnorm=st.booleans(),
    dtype=st.sampled_from(["float32", "float64"]),
)
transforms = st.lists(
    st.sampled_from(["stop_above_norm", "clip_by_norm", "clip_by_value", "gradient_noise"]),
    unique=True,
).map(lambda names: sorted(names, key=_order))
optimizer = st.builds(
    OptimizerSpec,
    rule=st.sampled_from(["sgd", "momentum", "adam", "rmsprop", "adagrad"]),
    lr=maybe(st.none(), st.floats(1e-6, 10)),
    options=st.just({}),
    schedule=st.sampled_from([None, "cosine", "step"]),
    warmup=st.integers(0, 5),
    transforms=st.tuples(transforms, st.lists(positive, min_size=4, max_size=4)).map(
        lambda tv: tuple(TransformSpec(n, v) for n, v in zip(tv[0], tv[1], strict=False))
    ),
    partitions=st.lists(
        st.builds(PartitionSpec, params=words, rule=words, options=st.just({"lr": 0.1})),
        max_size=2,
    ).map(tuple),
)
training = st.builds(
    TrainingSpec,
    epochs=st.integers(1, 10**6),
    iterations=maybe(st.none(), st.integers(1, 10**6)),
    batch_size=st.integers(1, 10**5),
    seed=st.integers(0, 2**40),
    sampling=st.sampled_from(["shuffle", "replacement", "sequential"]),
    early_stop=maybe(st.none(), st.integers(1, 50)),
    curriculum=st.booleans(),
    track=st.sampled_from([None, "sharpness"]),
)
output = st.builds(
    OutputSpec,
    out=maybe(st.none(), words),
    quiet=st.booleans(),
    checkpoint_every=maybe(st.none(), st.integers(1, 9)),
)


def _order(name: str) -> int:
    return ["stop_above_norm", "clip_by_norm", "clip_by_value", "gradient_noise"].index(name)


@settings(max_examples=300, deadline=None)
@given(data, network, optimizer, training, output)
def test_a_spec_goes_through_json_and_comes_back_the_same(d, n, o, t, out):
    spec = RunSpec(d, n, o, t, out)
    text = json.dumps(spec.to_json())  # what config.json holds
    back = RunSpec.from_json(json.loads(text))
    assert back == spec
    assert json.dumps(back.to_json()) == text
    assert json.loads(text)["schema"] == SCHEMA


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: DataSpec(val_ratio=1.0), r"--val-ratio must be in \[0, 1\), got 1.0"),
        (lambda: NetworkSpec(dropout=-0.1), r"--dropout must be in \[0, 1\), got -0.1"),
        (lambda: NetworkSpec(hidden=(8, 0)), "hidden must be a list of positive integers"),
        (lambda: OptimizerSpec("nope"), "nope"),
        (lambda: OptimizerSpec("adam", lr=-1.0), "lr"),
        (lambda: TrainingSpec(epochs=0), "epochs must be an integer ≥ 1, got 0"),
        (
            lambda: RunSpec(data=DataSpec(val_ratio=0.0), training=TrainingSpec(early_stop=3)),
            "--early-stop watches the validation accuracy; use --val-ratio > 0",
        ),
        (
            lambda: OptimizerSpec(
                transforms=(TransformSpec("gradient_noise", 0.1), TransformSpec("clip_by_norm", 1))
            ),
            "transforms must be given once each, in the order",
        ),
    ],
)
def test_a_bad_spec_is_refused_in_one_line_when_made(make, message):
    with pytest.raises(ConfigError, match=message) as caught:
        make()
    assert "\n" not in str(caught.value)


def test_a_file_of_another_schema_or_shape_is_named_and_refused():
    good = RunSpec().to_json()
    for doc, says in [
        ({**good, "schema": 99}, "not a trainlab run configuration"),
        ({**good, "network": "x"}, "'network' is missing or not an object"),
        ({**good, "training": {**good["training"], "epochs": 0}}, "training: epochs must be"),
        ({**good, "data": {**good["data"], "colour": 1}}, "unknown setting 'colour'"),
    ]:
        with pytest.raises(DataError, match=says) as caught:
            RunSpec.from_json(doc, "run/config.json")
        assert str(caught.value).startswith("run/config.json")


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(RELEASE / name, tmp_path / name))


def test_a_run_saved_by_the_last_release_resumes_to_the_bits_of_a_run_started_now(tmp_path):
    old = _copy("digits-checkpointed", tmp_path)
    assert "schema" not in read_json(old / "config.json")  # the flat form of 0.1.0
    assert main(["train", "--resume", str(old), "--epochs", "3", "--quiet"]) == 0
    flags = ["--hidden", "8", "--train-size", "200", "--batch-size", "20", "--optimizer", "adam"]
    flags += ["--lr", "0.01", "--opt", "beta1=0.8", "--clip-norm", "5", "--grad-noise", "0.01"]
    new = tmp_path / "new"
    assert main(["train", *flags, "--epochs", "3", "--quiet", "--out", str(new)]) == 0
    then, now = (read_json(run / "metrics.json")["history"] for run in (old, new))
    assert then.pop("time") and now.pop("time")  # wall-clock seconds: the rest is bits
    assert then == now and len(then["train_loss"]) == 24  # 3 epochs of 160 samples, 20 a batch
    config = read_json(old / "config.json")  # rewritten once, in the current form
    assert config["schema"] == SCHEMA and config["training"]["epochs"] == 3
    assert config["optimizer"]["options"] == {"beta1": 0.8}
    assert config["optimizer"]["transforms"] == [
        {"name": "clip_by_norm", "value": 5.0},
        {"name": "gradient_noise", "value": 0.01},
    ]
    then, now = RunSpec.from_json(config), RunSpec.from_json(read_json(new / "config.json"))
    for part in ("data", "network", "optimizer", "training"):
        assert getattr(then, part) == getattr(now, part)


def test_a_data_run_saved_by_the_last_release_predicts_as_a_run_trained_now(tmp_path):
    old = _copy("csv-regression", tmp_path)
    csv = shutil.copy(RELEASE / "houses.csv", tmp_path / "houses.csv")
    new = tmp_path / "new"
    argv = ["train", "--data", str(csv), "--target", "price", "--hidden", "8", "--epochs", "2"]
    assert main([*argv, "--batch-size", "16", "--quiet", "--out", str(new)]) == 0
    then, now = trainlab.load_run(old), trainlab.load_run(new)
    rows, _ = then.read(csv)
    assert np.array_equal(then.predict(rows), now.predict(rows))
    assert 100 < float(np.std(then.predict(rows)))  # in the target's own units (hundreds)
