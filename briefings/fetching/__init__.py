"""Fetching briefings from the governments' sites: a polite HTTP client (`client.py`),
what a fetched page is (`pages.py`: a list of transcripts, or a page of a series), and the
workflow that fetches, logs every request and hands what it fetched to the ingest
(`run.py`; the sources to watch in `watching.py`).

It sits beside the ingest, above the archive: it uses `briefings.ingest` and the models,
and neither the archive nor the ingest imports it.
"""
