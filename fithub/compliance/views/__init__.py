"""Compliance pages, split by sub-area: the tools, and the assessments with their findings."""
