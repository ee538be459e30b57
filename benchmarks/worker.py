"""One benchmark side in its own process, driven over stdin/stdout by harness.py.

Each side runs alone in its process so that the thread pools of one library
(OpenBLAS, OpenMP in PyTorch, numba) never spin beside another's inside one
process. Protocol, one JSON object per line: first ``{"module", "factory",
"kwargs", "src"}`` (``src``: optional folder of another trainlab) builds
``fn = module.factory(**kwargs)``; then ``{"calibrate": s}``
answers ``{"n": steps taking about s seconds}`` and ``{"n": k}`` answers
``{"seconds": time of fn(k)}``; an empty line ends it.
"""

import importlib
import json
import os
import sys
import time
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
sys.path.append(str(here.parent / "src"))


def main():
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the protocol
    spec = json.loads(sys.stdin.readline())
    if spec.get("src"):  # another trainlab (an older checkout, to compare with)
        sys.path.insert(0, spec["src"])
    try:
        fn = getattr(importlib.import_module(spec["module"]), spec["factory"])(**spec["kwargs"])
    except Exception as exc:  # e.g. a PyTorch variant this version lacks
        proto.write(json.dumps({"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}) + "\n")
        return
    proto.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            break
        cmd = json.loads(line)
        if "calibrate" in cmd:
            fn(1)  # first-call costs (buffers, compilation) are not measured
            n = 1
            while True:
                t0 = time.perf_counter()
                fn(n)
                took = time.perf_counter() - t0
                if took >= cmd["calibrate"] / 4 or n >= 1 << 20:
                    break
                n *= 4
            proto.write(
                json.dumps({"n": max(1, int(n * cmd["calibrate"] / max(took, 1e-9)))}) + "\n"
            )
        else:
            t0 = time.perf_counter()
            fn(cmd["n"])
            proto.write(json.dumps({"seconds": time.perf_counter() - t0}) + "\n")


if __name__ == "__main__":
    main()
