"""Reading a practitioner's file: .npz, .csv/.tsv, IDX pairs, task inference, and
one clear line for every defect."""

from __future__ import annotations

import numpy as np
import pytest
from owndata_testkit import (
    LABELS,
    _s,
    class_csv,
    classification,
    idx_file,
    reg_npz,
    regression,
    write_csv,
)

from trainlab.data.files import infer_task, load_file
from trainlab.errors import ConfigError, DataError


def test_csv_with_a_text_target_in_the_middle(tmp_path):
    x, y = classification()
    d = load_file(str(class_csv(tmp_path)), target="animal")
    assert d.task == "classification" and d.classes == ["cat", "dog", "fox"]
    assert d.features == ["f0", "f1", "f2", "f3"] and d.target == "animal"
    assert np.array_equal(d.y, y)  # sorted names: cat 0, dog 1, fox 2
    assert np.allclose(d.x, x, rtol=0, atol=0)  # repr round-trips every float


def test_tsv_and_the_default_target_is_the_last_column(tmp_path):
    x, y = classification()
    rows = [[*map(_s, r), int(c) + 10] for r, c in zip(x, y, strict=False)]
    path = write_csv(tmp_path / "b.tsv", ["a", "b", "c", "d", "label"], rows, "\t")
    d = load_file(str(path))
    assert d.target == "label" and d.task == "classification"  # whole numbers, 3 values
    assert d.classes == [10, 11, 12] and np.array_equal(d.y, y)


def test_npz_regression_is_inferred(tmp_path):
    x, y = regression()
    d = load_file(str(reg_npz(tmp_path)))
    assert d.task == "regression" and d.classes is None and d.n_outputs == 1
    assert np.array_equal(d.x, x) and np.array_equal(d.y, y)


def test_npz_with_its_own_test_set_and_text_labels(tmp_path):
    x, y = classification(60)
    np.savez(tmp_path / "t.npz", x=x[:40], y=LABELS[y[:40]], x_test=x[40:], y_test=LABELS[y[40:]])
    d = load_file(str(tmp_path / "t.npz"))
    assert d.classes == ["cat", "dog", "fox"]
    assert np.array_equal(d.y_test, y[40:]) and np.array_equal(d.x_test, x[40:])


def test_idx_pair_of_any_type_and_shape(tmp_path):
    rng = np.random.default_rng(3)
    images = rng.random((50, 3, 2)).astype(np.float32)  # float IDX, not MNIST's bytes
    labels = rng.integers(0, 4, 50).astype(np.uint8)
    a = idx_file(tmp_path / "things-x.idx", images, 0x0D)
    b = idx_file(tmp_path / "things-y.idx", labels)
    d = load_file(f"{a},{b}")
    assert d.x.shape == (50, 6) and np.array_equal(d.x, images.reshape(50, 6).astype(float))
    assert d.task == "classification" and np.array_equal(d.y, labels)


def test_task_inference_rule():
    assert infer_task(np.array([0.0, 1.0, 1.0, 2.0])) == "classification"
    assert infer_task(np.arange(21.0)) == "regression"  # too many distinct values
    assert infer_task(np.array([0.5, 1.0])) == "regression"
    assert infer_task(np.array(["a", "b"])) == "classification"


@pytest.mark.parametrize(
    "content, target, words",
    [
        ("a,b,y\n1,2,3\n1,x,4\n", None, "non-numeric value 'x' in column 'b' at row 2"),
        ("a,b,y\n1,2,3\n1,,4\n", None, "missing value (NaN) in column 'b' at row 2"),
        ("a,b,y\n1,2,3\n1,nan,4\n", None, "missing value (NaN) in column 'b' at row 2"),
        ("a,b,y\n1,2,3\n1,2,4\n", "z", "no column 'z' for --target; columns are a, b, y"),
        ("a,b,y\n1,2,3\n1,2\n", None, "row 2 has 2 fields, the header 3"),
        ("a,b,y\n1,2,s\n3,4,s\n", None, "the target has one class only ('s')"),
        ("a,b,y\n", None, "needs a header row and at least one data row"),
        ("a,b,y\n1,2,3\n1,inf,4\n", None, "NaN or infinite value in the features at row 2"),
    ],
)
def test_bad_csv_names_the_file_and_the_problem(tmp_path, content, target, words):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_file(str(path), target=target)
    msg = str(exc.value)
    assert msg.startswith(str(path)) and words in msg and "\n" not in msg


def test_regression_refuses_text_targets(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a,y\n1,2.5\n2,oops\n", encoding="utf-8")
    with pytest.raises(DataError, match="non-numeric target 'oops' at row 2"):
        load_file(str(path), task="regression")


@pytest.mark.parametrize(
    "arrays, words",
    [
        ({"x": np.zeros((3, 2))}, "no array 'y'"),
        ({"x": np.zeros((3, 2)), "y": np.zeros(2)}, "x has 3 rows but y has 2"),
        (
            {"x": np.array([[1.0, np.nan], [0, 0]]), "y": np.array([0.5, 1.5])},
            "NaN or infinite value in x at row 1",
        ),
        ({"x": np.zeros((3, 2)), "y": np.ones(3, int)}, "one class only"),
        (
            {"x": np.zeros((3, 2)), "y": np.arange(3), "x_test": np.zeros((1, 2))},
            "x_test and y_test come together",
        ),
    ],
)
def test_bad_npz(tmp_path, arrays, words):
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DataError, match=words):
        load_file(str(tmp_path / "bad.npz"))


def test_npz_with_objects_is_refused_without_unpickling(tmp_path):
    np.savez(tmp_path / "o.npz", x=np.array([{"a": 1}, None], dtype=object), y=np.arange(2))
    with pytest.raises(DataError, match="o.npz: .*numeric or text arrays only"):
        load_file(str(tmp_path / "o.npz"))


def test_mismatched_idx_pair_and_missing_files(tmp_path):
    a = idx_file(tmp_path / "x.idx", np.zeros((5, 2, 2), np.uint8))
    b = idx_file(tmp_path / "y.idx", np.zeros(4, np.uint8))
    with pytest.raises(DataError, match="holds 5 items but .*y.idx holds 4"):
        load_file(f"{a},{b}")
    with pytest.raises(DataError, match="nothere.csv: no such file"):
        load_file(str(tmp_path / "nothere.csv"))
    (tmp_path / "junk.idx").write_bytes(b"\x12\x34\x56\x78")
    with pytest.raises(DataError, match="not an IDX file"):
        load_file(f"{tmp_path / 'junk.idx'},{b}")
    with pytest.raises(ConfigError, match="unknown --task"):
        load_file(str(a), task="ranking")
