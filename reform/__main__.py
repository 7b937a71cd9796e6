"""``python -m reform``: see reform.cli for the commands."""
import sys

from reform.cli import main

sys.exit(main())
