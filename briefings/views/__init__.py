"""The reading room's pages, one module per page family: home, the briefing list and its
archives, a briefing and its exchanges, people, outlets, commitments, downloads.
briefings/urls.py is their table of contents. Function views, each with a JSON form
(`?format=json`, briefings/pages.py) where it shows data, and a fixed number of queries
however large the archive; every list pages the same way (briefings/paging.py)."""
