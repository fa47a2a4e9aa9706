"""``python -m proofs`` runs the ``convproof`` command line."""

import sys

from proofs.cli.main import main

sys.exit(main())
