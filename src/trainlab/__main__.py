"""``python -m trainlab ...``: the ``trainlab`` command, for an environment whose
scripts folder is not on ``PATH``."""

import sys

from trainlab.cli import main

sys.exit(main())
