"""Admin: an edit screen for every record, the upload with preview, person merge, the log.

One module per family of records; importing them registers their admins.
"""

from django.contrib import admin

from . import addresses, commitments, conferences, fetching, ingest_runs, people  # noqa: F401

admin.site.site_header = "Briefing Archive administration"
