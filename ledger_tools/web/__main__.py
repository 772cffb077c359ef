"""``python -m ledger_tools.web [LEDGER]``: the launcher, for a system without the gui-script."""

import sys

from ledger_tools.web.launcher import main

sys.exit(main())
