"""What ``trainlab check`` found, as text for a terminal and HTML/Markdown for a notebook."""

from __future__ import annotations

import html
import math
import textwrap
from dataclasses import dataclass, field

from trainlab.check.compare import Departure
from trainlab.check.diagnose import Diagnosis
from trainlab.optim import RULES

PASSING = ("pass", "pass with a note", "another convention")
VERDICT_TEXT = {
    "pass": "PASS: the same numbers as trainlab's {rule}, step for step",
    "pass with a note": "PASS, with a note: a known variant of {rule}, not a mistake",
    "another convention": "PASS, with a note: {rule} in another convention, the "
    "same numbers while lr is constant",
    "departs": "DEPARTS from trainlab's {rule}",
    "error": "ERROR: your code raised an exception",
    "timeout": "TIMEOUT: your code did not finish in time",
}


@dataclass
class Result:
    target: str
    verdict: str  # one of VERDICT_TEXT
    rule: str = ""
    rule_how: str = ""  # how the rule was chosen
    hyperparameters: dict = field(default_factory=dict)
    scenarios: list = field(default_factory=list)  # [{'name', 'title', 'status'}]
    departure: Departure | None = None
    diagnosis: Diagnosis | None = None
    notes: list = field(default_factory=list)
    traceback: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict in PASSING

    # -- persistence (JSON between the child process and the command) ---------
    def to_dict(self) -> dict:
        d = dict(vars(self))
        d["departure"] = self.departure.to_dict() if self.departure else None
        d["diagnosis"] = self.diagnosis.to_dict() if self.diagnosis else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Result:
        d = dict(d)
        d["departure"] = Departure.from_dict(d["departure"]) if d.get("departure") else None
        d["diagnosis"] = Diagnosis.from_dict(d["diagnosis"]) if d.get("diagnosis") else None
        return cls(**d)

    # -- text --------------------------------------------------------------------
    def _sections(self):
        """(heading, text after the heading, [indented lines]), shared by every format."""
        out = self._setting_sections()
        out.append(
            (
                "verdict",
                VERDICT_TEXT[self.verdict].format(
                    rule=_class_name(self.rule) if self.rule else "rule"
                ),
                [],
            )
        )
        if self.departure:
            head, *body = _departure_lines(self.departure)
            out.append(("first departure", head, body))
        if self.traceback:
            out.append(("your traceback", "", self.traceback.splitlines()))
        cause = self._cause_section()
        if cause is not None:
            out.append(cause)
        if self.notes:
            out.append(("notes", "", list(self.notes)))
        return out

    def _setting_sections(self):
        """The rule compared with, and every scenario's status."""
        out = []
        if self.rule:
            hp = ", ".join(
                f"{k}={v:g}" if isinstance(v, float) else f"{k}={v!r}"
                for k, v in self.hyperparameters.items()
            )
            out.append(
                (
                    "rule",
                    f"{self.rule} ({self.rule_how}), compared with trainlab's "
                    f"{_class_name(self.rule)}({hp})",
                    [],
                )
            )
        if self.scenarios:
            width = max(len(s["name"]) for s in self.scenarios)
            out.append(
                (
                    "scenarios",
                    "each step from the same parameters and gradients as trainlab's",
                    [
                        f"{s['name']:<{width}}  {s['status']:<18}  {s['title']}"
                        for s in self.scenarios
                    ],
                )
            )
        return out

    def _cause_section(self):
        """The diagnosis, or that none of the catalogue's causes fits; None if no cause is due."""
        d = self.diagnosis
        if d:
            label = {
                "bug": "most likely cause",
                "variant": "known variant",
                "convention": "another convention",
            }[d.kind]
            fix = ("fix: " if d.kind == "bug" else "in trainlab: ") + d.fix
            return (label, d.title, [d.evidence, f"what it does: {d.why}", fix])
        if self.departure and self.departure.kind != "error":
            return (
                "most likely cause",
                "none of trainlab's catalogue of mistakes reproduces your numbers",
                ["look at the step above, where the two first differ"],
            )
        return None

    def __str__(self) -> str:
        lines = [f"trainlab check {self.target}"]
        for heading, text, body in self._sections():
            prose = heading in PROSE
            first = f"{heading}: {text}".rstrip() if heading != "verdict" else text
            lines += _wrap(first, "    ") if prose else [first]
            for b in body:
                lines += _wrap(b, "  ", "    ") if prose else [f"  {b}"]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        parts = [f"**trainlab check** `{self.target}`"]
        for heading, text, body in self._sections():
            if heading == "verdict":
                parts.append(f"**{text}**")
                continue
            parts.append(f"*{heading}*: {text}".rstrip(": "))
            if body:
                parts.append("```\n" + "\n".join(body) + "\n```")
        return "\n\n".join(parts)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.passed else "#cf222e"
        parts = [f"<div><p><b>trainlab check</b> <code>{html.escape(self.target)}</code></p>"]
        for heading, text, body in self._sections():
            if heading == "verdict":
                parts.append(f"<p><b style='color:{colour}'>{html.escape(text)}</b></p>")
                continue
            parts.append(f"<p><i>{html.escape(heading)}</i> {html.escape(text)}</p>")
            if body:
                parts.append(f"<pre>{html.escape(chr(10).join(body))}</pre>")
        return "".join(parts) + "</div>"

    def __repr__(self) -> str:
        return f"<trainlab.check result for {self.target}: {self.verdict}>"


#: sections of sentences, wrapped to the terminal's usual width (tables are not)
PROSE = ("most likely cause", "known variant", "another convention", "notes")
WIDTH = 96


def _wrap(text: str, indent: str, more: str | None = None) -> list[str]:
    if more is None:
        indent, more = "", indent
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=more,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent]


def _fmt(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.10g}"


def _class_name(rule: str) -> str:
    cls = RULES.get(rule)
    return cls.__name__ if cls else rule


def _departure_lines(d: Departure) -> list[str]:
    where = f"{d.scenario}, step {d.step}"
    if d.what:
        where += f" ({d.what})"
    if d.kind == "error":
        return [f"{where}: your update raised {d.detail}"]
    if d.kind == "unreadable":
        return [
            f"{where}: after your update, params[{d.key!r}] is missing or not an array of its shape"
        ]
    if d.kind == "replaced":
        return [
            f"{where}: your update put a new array into params[{d.key!r}] instead of "
            "changing the one it was given, in place"
        ]
    elem = f"{d.key}[{', '.join(map(str, d.index))}]" if d.index else d.key
    if d.kind == "grads":
        return [
            f"{where}: your update wrote into grads: {elem} was {_fmt(d.before)}, "
            f"is now {_fmt(d.yours)}"
        ]
    if math.isnan(d.yours) or math.isinf(d.yours):
        size = f"yours is {_fmt(d.yours)}, not a number trainlab's rule can give"
    else:
        rel = "" if math.isinf(d.rel_diff) else f" ({d.rel_diff:.3g} of trainlab's step)"
        size = f"{d.abs_diff:.3g}{rel}"
    return [
        f"{where}, {elem}",
        f"before the step  {_fmt(d.before)}",
        f"yours            {_fmt(d.yours)}   (a step of {_fmt(d.yours - d.before)})",
        f"trainlab's       {_fmt(d.trainlab)}   (a step of {_fmt(d.trainlab - d.before)})",
        f"difference       {size}",
    ]
