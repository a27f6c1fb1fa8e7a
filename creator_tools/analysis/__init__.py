"""Clip analysis: pure functions over arrays, composed by one decode pass (:mod:`.engine`)."""
