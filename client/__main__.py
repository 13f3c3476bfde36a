"""``python -m client``: the same as the ``netsuite-client`` command."""

import sys

from client.cli import main

sys.exit(main())
