"""``python -m creator_tools`` runs the CLI."""

from creator_tools.cli.app import run

run()
