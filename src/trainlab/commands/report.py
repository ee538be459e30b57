"""``trainlab report``: one self-contained HTML page from saved run folders."""

from __future__ import annotations

from trainlab.report import build

NAME = "report"
HELP = "build report.html from saved run folders (no training); prints its path"


def add_arguments(p):
    p.add_argument("dir", metavar="DIR", help="folder searched recursively for run folders")
    p.add_argument(
        "--lang",
        default="en",
        choices=("en", "ko"),
        help="language of the explanations (default en; ko: Korean, as the notes)",
    )
    p.add_argument(
        "--out", default=None, metavar="FILE", help="output file (default DIR/report.html)"
    )
    p.add_argument(
        "--replot",
        action="store_true",
        help="redraw the experiments' figures from their saved metrics first",
    )


def run(args) -> int:
    print(build(args.dir, args.out, lang=args.lang, replot=args.replot))
    return 0
