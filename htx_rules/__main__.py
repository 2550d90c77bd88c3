"""``python -m htx_rules`` runs the command line."""

import sys

from htx_rules.cli import main

sys.exit(main())
