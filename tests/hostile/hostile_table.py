"""The table the hostile-input tests are generated from.

Every valued option of every command gets the values of :data:`POOL` that its
own argparse type refuses (computed, so a new option is covered the day it
is added) plus the values in :data:`SEMANTIC` that its type lets through but
trainlab must still refuse (out of range, absurd sizes, names that do not
exist). ``{file}`` in a value stands for an existing regular file (not a
table), ``{csv}`` for a small valid CSV file and ``{dir}`` for the test's
scratch folder.
"""

from __future__ import annotations

import argparse

from trainlab.cli import build_parser

#: values tried on every option whose type refuses them
POOL = [
    "x",
    "",
    "1.5",
    "-1",
    "0",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "100000000000",
    "null",
    "true",
    "[1,2]",
    "{}",
    "a,b",
    "=",
    "\u2603",
    "1,,2",
    "0x10",
]

#: a command line that would run (fast) but for the bad option appended to it;
#: ``{out}`` is the output folder the test checks is never created
BASE = {
    "train": ["train", "--iterations", "1", "--hidden", "8", "--quiet", "--out", "{out}"],
    "run": ["run", "init-histogram", "--quick", "--quiet", "--out", "{out}"],
    "demo": ["demo", "--quiet", "--out", "{out}"],
    "landscape": [
        "landscape",
        "--steps",
        "5",
        "--optimizers",
        "sgd",
        "--no-newton",
        "--out",
        "{out}",
    ],
    "tune": [
        "tune",
        "--trials",
        "1",
        "--epochs",
        "1",
        "--train-size",
        "50",
        "--hidden",
        "8",
        "--quiet",
        "--out",
        "{out}",
    ],
    "benchmark": [
        "benchmark",
        "--problems",
        "noisy-quadratic",
        "--optimizers",
        "sgd",
        "--seeds",
        "1",
        "--lr-grid",
        "1e-2:1e-1:2",
        "--epochs",
        "1",
        "--quick",
        "--quiet",
        "--out",
        "{out}",
    ],
    "lab": ["lab", "--copy-only", "--no-browser"],
    "check": ["check"],
    "diagnose": ["diagnose"],
    "report": ["report"],
    "predict": ["predict", "{dir}", "--data", "{csv}", "--out", "{out}/p.csv"],
}

POSITIVE_BAD = ["nan", "inf", "-inf", "-1", "0"]
RATIO_BAD = ["nan", "inf", "-0.1", "1", "2"]
OUT_BAD = ["{file}", "{file}/sub"]

#: (command, option) → values its type accepts that trainlab must refuse
SEMANTIC = {
    ("train", "--dataset"): ["nope", "", "cifar"],
    ("train", "--optimizer"): ["nope", "", "adamm"],
    ("train", "--lr"): POSITIVE_BAD,
    ("train", "--opt"): [
        "lr=null",
        "momentum=[1,2]",
        "lr=true",
        "lr=x",
        "nosuch=1",
        "momentum=-1",
        "lr={}",
    ],
    ("train", "--hidden"): ["100000000000", "100000,100000,100000"],
    ("train", "--activation"): ["elu", "", "RELU "],
    ("train", "--init"): ["bogus", "nan", "inf", "-1", ""],
    ("train", "--weight-decay"): ["nan", "inf", "-1"],
    ("train", "--dropout"): RATIO_BAD,
    ("train", "--val-ratio"): RATIO_BAD,
    ("train", "--schedule"): ["bogus", "cosine:x"],
    ("train", "--train-size"): ["1"],
    ("train", "--early-stop"): [],
    ("train", "--resume"): ["{dir}/nowhere", "{file}", "{dir}"],
    ("train", "--out"): OUT_BAD,
    ("train", "--data-dir"): [],
    ("train", "--data"): ["{dir}/nowhere.csv", "{file}", "{dir}", "{csv},{csv}"],
    ("train", "--target"): [],
    ("tune", "--data"): ["{dir}/nowhere.csv", "{file}"],
    ("tune", "--target"): [],
    ("benchmark", "--problem"): ["nope", "os:path", "os:getcwd", "nosuch_module_x:f", "os:nosuch"],
    ("benchmark", "--data"): ["{dir}/nowhere.csv", "{file}"],
    ("benchmark", "--target-column"): [],
    ("benchmark", "--space"): ["lr=1:0", "lr", "lr=x:y"],
    ("run", "experiment"): ["nope", "", "all.x"],
    ("run", "--dataset"): ["nope", ""],
    ("run", "--data-dir"): [],
    ("run", "--set"): ["nosuch=1", "seeds=x", "init-histogram.nosuch=1", "nope.x=1"],
    ("run", "--out"): OUT_BAD,
    ("run", "--seed"): ["-1"],
    ("demo", "--out"): OUT_BAD,
    ("landscape", "--function"): ["nope", "", "quadratic:kappa=x", "quadratic:nosuch=1"],
    ("landscape", "--optimizers"): ["nope", "", "sgd,sgd"],
    ("landscape", "--steps"): ["-1", "0", "1000000000000"],
    ("landscape", "--start"): ["1", "x,y", "nan,1", "inf,0", "1,2,3"],
    ("landscape", "--lr"): ["sgd=x", "sgd=-1", "sgd=0", "sgd=nan", "adam=0.1", "=1", "sgd"],
    ("landscape", "--tune-points"): [],
    ("landscape", "--tune-range"): ["1", "x,y", "10,1", "0,1", "-1,1", "1,inf"],
    ("landscape", "--tune-refine"): [],
    ("landscape", "--frames"): [],
    ("landscape", "--out"): OUT_BAD,
    ("tune", "--dataset"): ["nope"],
    ("tune", "--data-dir"): [],
    ("tune", "--optimizer"): ["nope"],
    ("tune", "--space"): [
        "lr=1:0",
        "lr=x:y",
        "nosuch=1:2",
        "lr",
        "lr=1e-3:1e-1:bogus",
        "lr=0:1:log",
        "dropout=0:2",
    ],
    ("tune", "--val-ratio"): RATIO_BAD + ["0"],
    ("tune", "--hidden"): ["100000000000"],
    ("tune", "--storage"): [],
    ("tune", "--workers"): ["100000000000", "257"],
    ("benchmark", "--workers"): ["100000000000"],
    ("tune", "--study-name"): [],
    ("tune", "--out"): OUT_BAD,
    ("benchmark", "--problems"): ["nope", ",", "digits,nope"],
    ("benchmark", "--optimizers"): ["nope", ","],
    ("benchmark", "--lr-grid"): ["x", "1:0:3", "1e-3:1:0", "1e-3:1", "0:1:3", "1e-3:1:1000000000"],
    ("benchmark", "--target"): ["nope=1", "noisy-quadratic=x"],
    ("benchmark", "--data-dir"): [],
    ("benchmark", "--storage"): [],
    ("benchmark", "--study-prefix"): [],
    ("benchmark", "--out"): OUT_BAD,
    ("lab", "dir"): ["{file}", "{file}/sub"],
    ("check", "target"): ["{dir}/nowhere.py", "{file}", "{dir}", "{file}:Nope", ""],
    ("check", "--rule"): [],
    ("check", "--opt"): [],
    ("diagnose", "run_dir"): ["{dir}/nowhere", "{file}", "{dir}"],
    ("report", "dir"): ["{dir}/nowhere", "{file}"],
    ("report", "--out"): [],
    ("predict", "run"): ["{dir}/nowhere", "{file}", "{dir}"],
    ("predict", "--data"): ["{dir}/nowhere.csv", "{file}", "{dir}"],
    ("predict", "--out"): ["{file}", "{file}/sub"],
}

#: options a bad value of cannot be told from a good one without another option;
#: their bad values are tried in these combinations instead
COMBOS = {
    "train": [
        ["--early-stop", "2", "--val-ratio", "0"],
        ["--data", "{csv}", "--target", "nosuch"],
        ["--dataset", "fashion-mnist", "--data-dir", "{dir}/nowhere"],
        ["--resume", "{dir}", "--lr", "0.5"],
    ],
    "landscape": [
        ["--tune", "--tune-points", "1"],
        ["--tune", "--tune-points", "100000"],
        ["--tune", "--tune-refine", "-1"],
        ["--tune", "--tune-refine", "100000"],
        ["--animate", "--frames", "1"],
        ["--animate", "--frames", "100000000"],
    ],
    "tune": [
        ["--sampler", "grid", "--grid-points", "0"],
        ["--data", "{csv}", "--target", "nosuch"],
        ["--sampler", "grid", "--grid-points", "1000000000"],
        ["--sampler", "grid", "--trials", "1000000000000"],
        ["--dataset", "fashion-mnist", "--data-dir", "{dir}/nowhere"],
    ],
    "run": [["--dataset", "fashion-mnist", "--data-dir", "{dir}/nowhere", "--set", "x=1"]],
    "benchmark": [
        ["--problems", "fashion-mnist", "--data-dir", "{dir}/nowhere"],
        ["--data", "{csv}", "--target-column", "nosuch"],
    ],
}


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _flag(action) -> str:
    return action.option_strings[0] if action.option_strings else action.dest


def valued(parser) -> list[argparse.Action]:
    """The actions of a command that take a value."""
    return [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction)
        and a.nargs != 0
        and not isinstance(a, argparse.BooleanOptionalAction)
    ]


def refused_by_type(action) -> list[str]:
    if action.choices is not None:
        return ["nope", ""]
    if action.type is None:
        return []
    bad = []
    for value in POOL:
        try:
            action.type(value)
        except (argparse.ArgumentTypeError, ValueError, TypeError):
            bad.append(value)
    return bad


def cases() -> list[tuple[str, str, list[str]]]:
    """(command, option, extra argv) for every bad value of every option."""
    out = []
    for name, parser in commands().items():
        for action in valued(parser):
            flag = _flag(action)
            values = list(dict.fromkeys(refused_by_type(action) + SEMANTIC.get((name, flag), [])))
            for value in values:
                extra = [flag, value] if action.option_strings else [value]
                out.append((name, flag, extra))
        for combo in COMBOS.get(name, []):
            out.append((name, "+".join(t for t in combo if t.startswith("--")), combo))
    return out


def uncovered() -> list[str]:
    """Options with no bad value at all: each needs a SEMANTIC entry (``[]`` when any
    value is acceptable, e.g. a free study name)."""
    missing = []
    for name, parser in commands().items():
        if name not in BASE:
            missing.append(f"{name} (no BASE command line)")
            continue
        for action in valued(parser):
            flag = _flag(action)
            if (name, flag) not in SEMANTIC and not refused_by_type(action):
                missing.append(f"{name} {flag}")
    return missing


# lrfind takes train's options (it sweeps the lr of the same training), so it is
# held to train's bad values, and to its own: the sweep's range, steps and seeds
BASE["lrfind"] = [
    "lrfind",
    "--steps",
    "20",
    "--seeds",
    "1",
    "--hidden",
    "8",
    "--quiet",
    "--out",
    "{out}",
]
SEMANTIC.update(
    {("lrfind", flag): bad for (cmd, flag), bad in list(SEMANTIC.items()) if cmd == "train"}
)
SEMANTIC.update(
    {
        ("lrfind", "--low"): ["0", "-1", "nan", "inf"],
        ("lrfind", "--high"): ["0", "-1", "nan", "inf"],
        ("lrfind", "--steps"): ["0", "-5", "1000000000000"],
        ("lrfind", "--seeds"): ["0", "-1", "1000000000000"],
    }
)
COMBOS["lrfind"] = [c for c in COMBOS["train"] if "--resume" not in c]
