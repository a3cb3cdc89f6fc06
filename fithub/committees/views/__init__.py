"""Committee pages, split along the committee's parts (members, elections, meetings, reviews)."""
