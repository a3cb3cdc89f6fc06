"""Needs-assessment pages, split by sub-area: questionnaires, assessments, findings; common.py
holds the access helpers they share."""
