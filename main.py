"""Starts the till: `python main.py [--smoke] [--data-dir DIR] [--language sw] [--version]`."""

import sys

from pos_app.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
