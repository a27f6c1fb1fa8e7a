"""Editing: the edit plan (data), the planner (analysis -> plan), the renderer (plan -> video)."""
