"""``python -m warehouse.datadiff``."""

import sys

from warehouse.datadiff.cli import main

sys.exit(main())
