#!/usr/bin/env python3
"""claimpress entry point: `python build_claims.py --help`. The logic lives in the claimpress package."""
import sys

from claimpress.cli import main

if __name__ == "__main__":
    sys.exit(main())
