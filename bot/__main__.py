"""`python -m bot` runs the `supportbot` command line."""

from bot.cli import main

main()
