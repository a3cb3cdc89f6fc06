"""Session pages, split by sub-area: sessions (planning, people, reflection, cascades),
attendance (groups and the four ways to take it), participants and costs (a session's price);
common.py holds the access helpers and what a user may plan with."""
