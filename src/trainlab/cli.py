"""The ``trainlab`` command: parse, call, print. Errors become one line and exit 2.

Exit codes:
    0   success
    1   an internal error (a bug in trainlab: please report it; TRAINLAB_DEBUG=1 shows
        the traceback)
    2   bad input: an unknown option or name, a bad value, a missing or corrupt file
    3   training diverged (NaN or inf loss, or an exploding gradient)
    130 interrupted (Ctrl-C)
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import pkgutil
import sys
from pathlib import Path

import trainlab.commands
from trainlab import __version__, runs
from trainlab.errors import DivergenceError

EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130


def _one_line(text) -> str:
    """Control characters (a newline in an argument, say) shown escaped, so that
    every error stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, no usage dump
        self.exit(
            EXIT_BAD_INPUT, f"trainlab: error: {_one_line(message)} (see '{self.prog} --help')\n"
        )


def _listing() -> dict[str, str]:
    """Every command's name → its one line of ``HELP``, read from the modules' source
    without importing them: ``trainlab --help`` loads no command (nor its engine)."""
    folder = Path(trainlab.commands.__path__[0])
    listing = {}
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("_"):
            tree = ast.parse((folder / f"{info.name}.py").read_text(encoding="utf-8"))
            listing[info.name] = next(
                ast.literal_eval(node.value)
                for node in tree.body
                if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "HELP" for t in node.targets)
            )
    return listing


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; given the command line ``argv``, only the command
    it names is imported and given its options (the others are listed by name)."""
    chosen = None if argv is None else next((a for a in argv if not a.startswith("-")), None)
    parser = _Parser(prog="trainlab", description=trainlab.__doc__)
    parser.add_argument("--version", action="version", version=f"trainlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, text in _listing().items():
        p = sub.add_parser(name, help=text, description=text)
        if argv is None or name == chosen:
            mod = importlib.import_module(f"trainlab.commands.{name}")
            mod.add_arguments(p)
            p.set_defaults(run_command=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(given)
    args = parser.parse_args(given)
    args.argv = given  # what resumes a command
    try:
        code = _main(args)
    except BaseException:
        runs.finish(False)
        raise
    try:
        runs.finish(code in (0, EXIT_DIVERGED))
    except OSError as exc:  # the completion marker could not be written (a full disk)
        print(f"trainlab: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code


def _main(args) -> int:
    """Run the command; every expected failure becomes one line and its exit code."""
    try:
        return int(args.run_command(args) or 0)
    except DivergenceError as exc:  # a finished run whose metrics record the divergence
        print(f"trainlab: diverged: {_one_line(exc)}", file=sys.stderr)
        return EXIT_DIVERGED
    except KeyboardInterrupt as exc:  # a checkpointing command says where it saved
        print(f"trainlab: interrupted{': ' + _one_line(exc) if str(exc) else ''}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ValueError, OSError, FloatingPointError) as exc:
        print(f"trainlab: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(
            "trainlab: error: out of memory; choose smaller sizes (--hidden, --batch-size, "
            "--train-size, --steps)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug: one line, unless asked for the traceback
        if os.environ.get("TRAINLAB_DEBUG"):
            raise
        print(
            f"trainlab: internal error: {_one_line(f'{type(exc).__name__}: {exc}')[:300]}; "
            "please report it (TRAINLAB_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
