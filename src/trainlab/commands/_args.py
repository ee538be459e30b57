"""Argument parsing shared by the sub-commands: lists, key=value pairs, common options."""

from __future__ import annotations

import argparse

from trainlab.validate import parse_scalar as scalar


def int_list(text: str) -> list[int]:
    """``"100,100,50"`` → ``[100, 100, 50]``; ``""`` → ``[]``."""
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be ≥ 1, got {text!r}")
    return sizes


def key_value(text: str) -> tuple[str, object]:
    """``"lr=0.01"`` → ``("lr", 0.01)``."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key.strip(), scalar(value)


def _int_at_least(minimum: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


positive_int = _int_at_least(1, "a positive integer")
non_negative_int = _int_at_least(0, "an integer ≥ 0")


def add_data_args(p: argparse.ArgumentParser, default: str = "digits") -> None:
    p.add_argument("--dataset", default=default,
                   help="digits (embedded, default), mnist or fashion-mnist")
    p.add_argument("--data-dir", default=None,
                   help="folder holding the IDX files (else $TRAINLAB_DATA, then the cache)")
