"""``python -m bench.load``: the load test from the command line (see :mod:`bench.load`).

For training only, not for treating patients.
"""

import sys

from .cli import main

sys.exit(main())
