"""Activation histograms of a 5-layer, 100-unit stack fed ``randn(1000, 100)``
(the book's ``weight_init_activation_histogram.py``): weights with std 1,
std 0.01, Xavier (sqrt(1/n)) and He (sqrt(2/n)), under sigmoid, tanh and ReLU.

Every combination sees the same input and the same standard-normal weight
draws, only scaled differently, so the scale alone makes the difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import gen, mean, seeds
from trainlab.experiments.experiment import Experiment, Source
from trainlab.experiments.init_histogram_plot import histograms, layer_spread
from trainlab.nn import ACTIVATIONS, weight_std
from trainlab.train.spec_flat import init_value

NEAR = 0.02  # "near" 0.5, 0 or 1: within this distance


@dataclass
class Config:
    samples: int = 1000
    nodes: int = 100
    layers: int = 5
    inits: tuple = ("1", "0.01", "xavier", "he")
    activations: tuple = ("sigmoid", "tanh", "relu")
    bins: int = 30


def units(cfg) -> int:
    return len(cfg.activations) * len(cfg.inits)


def init_label(spec) -> str:
    spec = init_value(spec)
    if isinstance(spec, float):
        return f"std {spec:g}"
    return {"xavier": "Xavier", "sigmoid": "Xavier", "he": "He", "relu": "He"}.get(spec, spec)


def _range(act):
    """The book's ``range=(0, 1)`` (tanh: -1..1): one x-range for every panel."""
    return {"tanh": (-1.0, 1.0)}.get(act, (0.0, 1.0))


def forward(x, stds, act, standard_normals):
    """Activations of each layer: ``z_k = act(z_{k-1} @ (N_k * std_k))``."""
    out = []
    for w, std in zip(standard_normals, stds, strict=False):
        x = ACTIVATIONS[act]().forward(x @ (w * std))
        out.append(x)
    return out


def evaluation(cfg) -> dict:
    return {"once": f"activations of {cfg.samples} standard-normal inputs, no training"}


def jobs(cfg, rng) -> list[dict]:
    """One job per seed: every combination sees the same input and weight draws."""
    (seed,) = seeds(rng, 1)
    return [{"seed": seed}]


def job(cfg, data, spec) -> dict:
    g = gen(spec["seed"])
    x = g.standard_normal((cfg.samples, cfg.nodes))
    ws = [g.standard_normal((cfg.nodes, cfg.nodes)) for _ in range(cfg.layers)]
    out = {}
    for act in cfg.activations:
        for spec_ in cfg.inits:
            std = weight_std(init_value(spec_), cfg.nodes)
            layers = []
            for z in forward(x, [std] * cfg.layers, act, ws):
                counts, edges = np.histogram(z, bins=cfg.bins, range=_range(act))
                layers.append(
                    {
                        "mean": float(z.mean()),
                        "std": float(z.std()),
                        "near_half": float(np.mean(np.abs(z - 0.5) < NEAR)),
                        "near_0_or_1": float(np.mean((z < NEAR) | (z > 1 - NEAR))),
                        "zeros": float(np.mean(z == 0)),
                        "counts": counts.tolist(),
                        "edges": edges.tolist(),
                    }
                )
            out[f"{act}/{spec_}"] = layers
    return out


def gather(cfg, specs, results) -> dict:
    return results[0]


def summarize(runs, cfg) -> dict:
    s = {}
    last = cfg.layers - 1

    def avg(key, stat, layer=last):
        return mean([r[key][layer][stat] for r in runs if key in r])

    for act in cfg.activations:
        for spec in cfg.inits:
            key = f"{act}/{spec}"
            s[f"{act}, {init_label(spec)}: layer-{cfg.layers} std"] = avg(key, "std")
            if act == "sigmoid":
                s[f"{act}, {init_label(spec)}: share within {NEAR} of 0.5"] = avg(key, "near_half")
                s[f"{act}, {init_label(spec)}: share within {NEAR} of 0 or 1"] = avg(
                    key, "near_0_or_1"
                )
            if act == "relu":
                s[f"{act}, {init_label(spec)}: std ratio layer {cfg.layers}/1"] = mean(
                    [r[key][last]["std"] / r[key][0]["std"] for r in runs]
                )
                s[f"{act}, {init_label(spec)}: share of zeros"] = avg(key, "zeros")
    return s


def parts(cfg) -> list:
    """The figures, each drawn on its own: one histogram grid per activation, then
    the activations' spread per layer."""
    return [*cfg.activations, "std"]


def plot(metrics, cfg, out, part=None) -> list:
    """The histograms of each activation, then the spread per layer (``part``: one of them)."""
    labels = {spec: init_label(spec) for spec in cfg.inits}
    paths = [
        histograms(metrics, cfg, out, act, labels, _range(act))
        for act in cfg.activations
        if part in (None, act)
    ]
    if part in (None, "std"):
        paths.append(layer_spread(metrics, cfg, out, labels))
    return paths


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [
        f"sigmoid, std 1: share within {NEAR} of 0 or 1",
        f"sigmoid, std 0.01: share within {NEAR} of 0.5",
        "relu, Xavier: std ratio layer 5/1",
        "relu, He: std ratio layer 5/1",
    ]


TEXTS = {
    "en": {
        "title": "Initial weights: activation histograms",
        "shows": "Activations of 5 layers of 100 units fed randn(1000, 100), one histogram "
        "per layer (30 bins), for weights with std 1, std 0.01, Xavier (√(1/n)) "
        "and He (√(2/n)), under sigmoid, tanh and ReLU. The last figure gives the "
        "standard deviation of each layer's activations (mean ± std over seeds).",
        "notes": "With std 1, sigmoid outputs pile up at 0 and 1, where its gradient "
        "vanishes. With std 0.01 they crowd around sigmoid(0) = 0.5: the units all "
        "say the same thing and the network loses its expressive power. Xavier "
        "spreads sigmoid and tanh activations evenly; for ReLU, He's √(2/n) keeps "
        "the spread of every layer about the same, which Xavier does not.",
    },
    "ko": {
        "title": "가중치 초깃값: 활성화값 히스토그램",
        "shows": "randn(1000, 100) 입력을 100개 노드의 층 5개에 통과시킨 각 층의 활성화값 "
        "분포(30구간)입니다. 가중치 표준편차 1, 0.01, Xavier(√(1/n)), He(√(2/n))를 "
        "sigmoid, tanh, ReLU 각각에 적용했습니다. 마지막 그림은 층별 활성화값의 "
        "표준편차입니다(시드 평균 ± 표준편차).",
        "notes": "표준편차가 1이면 sigmoid 출력이 0과 1로 치우쳐 기울기 소실이 일어납니다. "
        "0.01이면 순전파가 0 근처 값만 전달해서 sigmoid(0)=0.5 인 값이 대부분을 "
        "차지하고, 뉴런이 여럿인 의미가 없어져 표현력이 제한됩니다. Xavier 초깃값은 "
        "sigmoid와 tanh에서 활성화값을 고르게 분포시키고, ReLU에는 He 초깃값(√(2/n))이 "
        "층이 깊어져도 분포를 고르게 유지하므로 더 낫습니다.",
    },
}

EXPERIMENT = Experiment(
    name="init-histogram",
    title="Activation histograms and initial weights",
    config=Config,
    units=units,
    jobs=jobs,
    job=job,
    gather=gather,
    summarize=summarize,
    claim=claim,
    plot=plot,
    texts=TEXTS,
    source=Source(
        notes="notes: initial weights, images 2-7 to 2-10-1",
        notes_ko="노트: 가중치 초기값, 그림 2-7 ~ 2-10-1",
        book="§6.2.2–6.2.3, Fig. 6-10, 6-11, 6-13, 6-14",
        script="ch06/weight_init_activation_histogram.py",
    ),
    lesson="std 1 piles at 0/1, std 0.01 at 0.5; Xavier spreads sigmoid; He keeps ReLU's spread",
    trains=False,
    evaluation=evaluation,
    parts=parts,
)
