"""``python -m derive`` runs the command line."""

import sys

from derive.cli.main import main

sys.exit(main())
