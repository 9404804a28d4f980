#!/usr/bin/env python
"""Django's manage.py, for habit; `upskill` is the same command."""

import sys

from upskill.cli import main

if __name__ == "__main__":
    sys.exit(main())
