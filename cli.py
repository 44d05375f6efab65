"""Run x12kit from a checkout: ``python cli.py ARGS`` does what ``x12kit ARGS`` does."""
from x12kit.cli import main

if __name__ == "__main__":
    main()
