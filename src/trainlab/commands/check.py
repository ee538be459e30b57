"""``trainlab check``: is your own update rule right? Where does it first go wrong, and why?"""

from __future__ import annotations

from trainlab.check.sandbox import SeveralRules, run_file
from trainlab.commands._args import key_value

NAME = "check"
HELP = "check your own update rule class against trainlab's (first departure and its cause)"

EXIT_PASS, EXIT_DEPARTS = 0, 1


def add_arguments(parser) -> None:
    parser.add_argument(
        "target",
        metavar="FILE.py[:CLASS]",
        help="the file with your rule; without CLASS every class in it "
        "that has an update method is checked",
    )
    parser.add_argument(
        "--rule",
        default=None,
        metavar="NAME",
        help="the rule it is meant to be (sgd, momentum, nesterov, adagrad, "
        "rmsprop, adadelta, adam, adamw, nadam, radam); default: from the "
        "class name, else from its behaviour",
    )
    parser.add_argument(
        "--opt",
        action="append",
        default=[],
        type=key_value,
        metavar="KEY=VALUE",
        help="a constructor argument of your class, by its own name (repeat)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop your code after this long (default: %(default)s)",
    )


def run(args) -> int:
    try:
        results = [run_file(args.target, args.rule, dict(args.opt), args.timeout)]
    except SeveralRules as several:
        if args.rule or args.opt:
            raise SeveralRules(several.path, several.names) from None
        # a file like the book's common/optimizer.py: check every rule in it
        results = [
            run_file(f"{args.target}:{name}", None, {}, args.timeout) for name in several.names
        ]
    print("\n\n".join(map(str, results)))
    if len(results) > 1:
        passed = [r.target for r in results if r.passed]
        failed = [r.target for r in results if not r.passed]
        print(
            f"\n{len(passed)} of {len(results)} rules pass"
            + (f"; not {', '.join(failed)}" if failed else "")
        )
    return EXIT_PASS if all(r.passed for r in results) else EXIT_DEPARTS
