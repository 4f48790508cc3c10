"""Lets `python -m bgpub` behave exactly like the `bgpub` console script."""

from bgpub.cli import main

if __name__ == "__main__":
    main()
