"""Royalty-free background music that the project synthesizes itself (numpy, seeded, CC0)."""
