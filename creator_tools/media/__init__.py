"""Media access: locating ffmpeg, probing files, streaming frames and audio."""
