"""The report's own words, in English and Korean: ``UI[lang][key]``."""

from __future__ import annotations

LANGS = ("en", "ko")

UI = {
    "en": {
        "report": "trainlab report",
        "intro": "Experiments from the chapter on training techniques of Deep Learning from "
        "Scratch and the lecture on optimisation, rebuilt from {n} saved run folder(s) "
        "under {root}.",
        "contents": "Contents",
        "shows": "What the figure shows",
        "notes": "What the notes conclude",
        "numbers": "Key numbers",
        "data": "Data",
        "folder": "Folder",
        "seeds": "Seeds",
        "quick": "quick settings",
        "settings": "Settings",
        "no_figures": "No figures in this folder.",
        "none": "No run folders (config.json + metrics.json) were found.",
        "source": "Rebuilds",
        "differ": "Settings that differ from the notes'",
        "default": "notes (default)",
        "used": "used here",
        "why": "why",
        "all_numbers": "All numbers",
    },
    "ko": {
        "report": "trainlab 보고서",
        "intro": "『밑바닥부터 시작하는 딥러닝』의 학습 관련 기술 장과 최적화 강의의 실험을 "
        "{root} 아래에 저장된 실행 폴더 {n}개로부터 다시 만든 보고서입니다.",
        "contents": "목차",
        "shows": "그림이 보여주는 것",
        "notes": "노트의 결론",
        "numbers": "주요 수치",
        "data": "데이터",
        "folder": "폴더",
        "seeds": "시드 수",
        "quick": "빠른 설정",
        "settings": "설정",
        "no_figures": "이 폴더에는 그림이 없습니다.",
        "none": "실행 폴더(config.json + metrics.json)를 찾지 못했습니다.",
        "source": "다시 만든 그림",
        "differ": "노트와 다른 설정",
        "default": "노트(기본값)",
        "used": "이 실행",
        "why": "이유",
        "all_numbers": "모든 수치",
    },
}
