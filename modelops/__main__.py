"""``python -m modelops``: see :mod:`modelops.cli`."""

import sys

from modelops.cli import main

sys.exit(main())
