"""Random command lines: ``trainlab`` answers 0, 2 (bad input) or 3 (diverged), never a
traceback."""

import contextlib
import io
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainlab.cli import main

NUMBERS = ["0", "1", "-1", "0.5", "0.01", "1e-9", "1e9", "nan", "inf", "", "x"]
# option → plausible values, valid and not; options without values are flags
TRAIN = {
    "--dataset": ["digits", "mnist", "fashion_mnist", "cifar"],
    "--data-dir": ["/nonexistent"],
    "--optimizer": ["sgd", "adam", "AdaGrad", "rmsprop", "nesterov", "swats", "adamm"],
    "--lr": NUMBERS,
    "--opt": ["momentum=0.5", "eps=1e-4", "beta1=2", "foo=1", "=", "lr"],
    "--hidden": ["8", "8,8", "0", "a,b", ""],
    "--activation": ["relu", "sigmoid", "tanh", "elu"],
    "--init": ["he", "xavier", "0.01", "1", "-1", "nan", "bogus"],
    "--weight-decay": NUMBERS,
    "--dropout": NUMBERS,
    "--dropout-mode": ["notes", "inverted", "other"],
    "--batchnorm": None,
    "--epochs": NUMBERS,
    "--batch-size": NUMBERS + ["100000"],
    "--val-ratio": NUMBERS,
    "--schedule": ["cosine", "plateau", "step", "exponential", "none"],
    "--warmup": NUMBERS,
    "--seed": NUMBERS + ["123456789012345678901234567890"],
    "--dtype": ["float32", "float64", "int8"],
    "--sampling": ["shuffle", "replacement", "sequential", "random"],
    "--early-stop": NUMBERS,
    "--curriculum": None,
    "--clip-norm": NUMBERS,
    "--clip-value": NUMBERS,
    "--grad-noise": NUMBERS,
    "--max-grad-norm": NUMBERS,
    "--checkpoint-every": NUMBERS,
    "--resume": ["/nonexistent", "."],
    "--train-size": NUMBERS + ["2", "5"],
    "--help": None,
}
PAIRS = st.sampled_from(sorted(TRAIN)).flatmap(
    lambda o: (
        st.just([o])
        if TRAIN[o] is None
        else st.tuples(st.just(o), st.one_of(st.sampled_from(TRAIN[o]), st.text(max_size=5))).map(
            list
        )
    )
)
ARGV = st.lists(st.one_of(PAIRS, st.text(max_size=6).map(lambda s: [s])), max_size=6).map(
    lambda parts: [tok for part in parts for tok in part]
)


def run(argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            code = exc.code
    return code, err.getvalue()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tokens=ARGV)
def test_random_train_argv_never_crashes(tokens):
    with tempfile.TemporaryDirectory() as d, pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINLAB_OFFLINE", "1")
        mp.setenv("TRAINLAB_CACHE", d + "/cache")
        mp.delenv("TRAINLAB_DATA", raising=False)
        # options at the end win in argparse: keep any training tiny and inside d
        tail = ["--iterations", "2", "--hidden", "8", "--quiet", "--out", d + "/run"]
        code, err = run(["train", *tokens, *tail])
    assert code in (0, 2, 3), (code, err)
    if code in (2, 3):
        assert err.endswith("\n") and err.count("\n") == 1, err  # one line, no traceback
        assert err.startswith("trainlab: ")


@settings(max_examples=25, deadline=None)
@given(
    command=st.sampled_from(["diagnose", "nope", "", "--version"]),
    tokens=st.lists(st.text(max_size=8), max_size=3),
)
def test_random_argv_for_other_commands(command, tokens):
    code, err = run([command, *tokens])
    assert code in (0, 2) and "Traceback" not in err
