"""Where each experiment comes from, what its figure claims, and how its settings differ.

``SOURCES[kind]`` names the figure of the notes it rebuilds (the study notes
on chapter 6 of *Deep Learning from Scratch* number their images ``2-N``; the
lecture's figures are named by their slide), the book's section and figure,
and the book's script of the same experiment (``ch06/…`` in
oreilly-japan/deep-learning-from-scratch), or None where the book has none.
``KEYS[kind]`` picks the few summary numbers that prove the figure's claim.
"""

from __future__ import annotations

import dataclasses
from typing import Any

SOURCES: dict[str, dict[str, Any]] = {
    "optimizer-compare": {
        "notes": ("notes: Optimizer, image 2-6", "노트: Optimizer, 그림 2-6"),
        "book": "§6.1.8, Fig. 6-9",
        "script": "ch06/optimizer_compare_mnist.py",
    },
    "init-histogram": {
        "notes": (
            "notes: initial weights, images 2-7 to 2-10-1",
            "노트: 가중치 초기값, 그림 2-7 ~ 2-10-1",
        ),
        "book": "§6.2.2–6.2.3, Fig. 6-10, 6-11, 6-13, 6-14",
        "script": "ch06/weight_init_activation_histogram.py",
    },
    "init-compare": {
        "notes": ("notes: He initial weights, image 2-11", "노트: He 초깃값, 그림 2-11"),
        "book": "§6.2.4, Fig. 6-15",
        "script": "ch06/weight_init_compare.py",
    },
    "batchnorm": {
        "notes": (
            "notes: batch normalisation, images 2-12, 2-13",
            "노트: 배치 정규화, 그림 2-12, 2-13",
        ),
        "book": "§6.3.2, Fig. 6-18, 6-19",
        "script": "ch06/batch_norm_test.py",
    },
    "overfit": {
        "notes": (
            "notes: overfitting, images 2-14, 2-15 (weight decay) and 2-17 (dropout)",
            "노트: 오버피팅, 그림 2-14, 2-15(가중치 감소), 2-17(드롭아웃)",
        ),
        "book": "§6.4.1–6.4.3, Fig. 6-20, 6-21, 6-23",
        "script": "ch06/overfit_weight_decay.py, ch06/overfit_dropout.py",
    },
    "batch-size": {
        "notes": (
            "lecture 08 (optimisation): batch, stochastic and mini-batch gradient descent",
            "강의 08 (Optimization 방법론): Batch / Stochastic / Mini-batch Gradient Descent",
        ),
        "book": "§4.2.3 (mini-batches)",
        "script": None,
    },
    "adaptive-vs-sgd": {
        "notes": (
            "lecture on optimisation: comparison of optimization "
            "algorithms (Wilson et al. 2017; SWATS)",
            "최적화 강의: Comparison of optimization algorithms (Wilson 등 2017; SWATS)",
        ),
        "book": "§6.1.7 (which rule to use)",
        "script": None,
    },
    "adaptive-separable": {
        "notes": (
            "lecture on optimisation: which rule to use; Wilson et al. 2017, §3.3 "
            "(the separable linear problem and its Lemma 3.1)",
            "최적화 강의: 어떤 Optimizer를 사용할 것인가; Wilson 등 2017, 3.3절 "
            "(선형 분리 문제와 보조정리 3.1)",
        ),
        "book": "§6.1.7 (which rule to use)",
        "script": None,
    },
    "lecture-additions": {
        "notes": (
            "lecture 08 (optimisation): 추가적인 방법론 (shuffling; curriculum learning, "
            "Bengio et al. 2009; early stopping; gradient noise, Neelakantan et al. 2015)",
            "강의 08 (Optimization 방법론): 추가적인 방법론 (Shuffling; Curriculum Learning, "
            "Bengio 등 2009; Early stopping; Gradient noise, Neelakantan 등 2015)",
        ),
        "book": "—",
        "script": None,
    },
    "lr-diagnosis": {
        "notes": (
            "lecture 08 (optimisation): the conclusion's loss-curve figure (optimization007)",
            "강의 08 (Optimization 방법론): 결론의 손실 곡선 그림 (optimization007)",
        ),
        "book": "—",
        "script": None,
    },
    "landscape": {
        "notes": (
            "notes: the weakness of SGD, images 2-2 to 2-5",
            "노트: SGD 단점, 그림 2-2 ~ 2-5",
        ),
        "book": "§6.1.2–6.1.7, Fig. 6-3, 6-5, 6-6, 6-7, 6-8",
        "script": "ch06/optimizer_compare_naive.py",
    },
    "loss-surface": {
        "notes": (
            "lecture: mini-batch size ('smaller batches usually generalise better')",
            "강의: 미니배치 크기 ('작은 배치가 대체로 일반화가 더 잘 된다')",
        ),
        "book": "—",
        "script": None,
    },
    "tune": {
        "notes": (
            "notes: hyperparameter optimisation, image 2-19",
            "노트: 하이퍼파라미터 최적화, 그림 2-19",
        ),
        "book": "§6.5.3, Fig. 6-24",
        "script": "ch06/hyperparameter_optimization.py",
    },
}

#: summary keys (by suffix or exact name) that prove each figure's claim
KEYS = {
    "optimizer-compare": ("final loss",),
    "init-histogram": (
        "sigmoid, std 1: share within 0.02 of 0 or 1",
        "sigmoid, std 0.01: share within 0.02 of 0.5",
        "relu, Xavier: std ratio layer 5/1",
        "relu, He: std ratio layer 5/1",
    ),
    "init-compare": ("final loss",),
    "batchnorm": (
        "scales where BN is ahead",
        "scales where plain is ahead",
        "BN mean final train acc",
        "plain mean final train acc",
    ),
    "overfit": (": gap",),
    "batch-size": ("loss noise",),
    "adaptive-vs-sgd": (": test acc", ": tuned lr"),
    "adaptive-separable": ("test error", "minority share|"),
    "lecture-additions": (": test acc", "early stopping: stopped after epoch (mean)"),
}


def key_numbers(kind: str, summary: dict) -> dict:
    """The rows of ``summary`` that prove ``kind``'s claim (all of them for other kinds)."""
    keys = KEYS.get(kind)
    if not keys:
        return dict(summary)
    picked = {k: v for k, v in summary.items() if any(k == s or k.endswith(s) for s in keys)}
    return picked or dict(summary)


def notes_of(kind: str, lang: str = "en") -> str:
    """The notes' section and figure that ``kind`` rebuilds, in ``lang``."""
    notes = SOURCES.get(kind, {}).get("notes", ("", ""))
    return notes[1] if lang == "ko" else notes[0]


def source_line(kind: str, lang: str = "en") -> str:
    """``notes … · book … · script …`` for ``kind`` ('' if unknown)."""
    s = SOURCES.get(kind)
    if not s:
        return ""
    ko = lang == "ko"
    parts = [notes_of(kind, lang), f"{'책' if ko else 'book'} {s['book']}"]
    if s["script"]:
        parts.append(f"{'책의 스크립트' if ko else 'book' + chr(39) + 's script'} {s['script']}")
    else:
        parts.append("책에는 스크립트 없음" if ko else "no script in the book")
    return " · ".join(parts)


def differences(kind: str, config: dict) -> list[tuple[str, str, str, str]]:
    """(setting, the notes' value, the value used, why) for each setting of a
    saved run that differs from the experiment's defaults (the notes')."""
    from trainlab.experiments.registry import MODULES, get

    if kind not in MODULES:
        return []
    mod = get(kind)
    notes = dataclasses.asdict(mod.Config())
    by_data = getattr(mod, "DATASETS", {}).get(config.get("dataset") or "", {})
    why_data = getattr(mod, "WHY", {}).get(config.get("dataset") or "", "")
    out = []
    for key, default in notes.items():
        used = config.get(key, default)
        same = list(used) == list(default) if isinstance(default, tuple) else used == default
        if same:
            continue
        if key in getattr(mod, "QUICK", {}) and config.get("quick"):
            why = "--quick: shorter, so the demo finishes in seconds"
        elif key in by_data:
            why = (
                f"for {config.get('dataset')} (below)"
                if why_data
                else f"the setting for {config.get('dataset')}"
            )
        else:
            why = "set on the command line (--set)"
        out.append((key, _text(default), _text(used), why))
    return out


def why_dataset(kind: str, config: dict, lang: str = "en") -> str:
    """Why ``kind`` uses its own settings on the run's data set ('' if it does not)."""
    from trainlab.experiments.registry import MODULES, get

    if kind not in MODULES:
        return ""
    data = config.get("dataset") or ""
    mod = get(kind)
    if lang == "ko" and data in getattr(mod, "WHY_KO", {}):
        return mod.WHY_KO[data]
    return getattr(mod, "WHY", {}).get(data, "")


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)
