"""Suggestions from the local trend index: music, looks, hashtags and a caption line."""
