"""Audit history: every recorded run of ``check --record`` in one database (SQLite by
default, PostgreSQL for a shared head office), and the questions one run cannot answer:
which sites got worse, which lapses have been open longest, which waivers expire soon.

``records`` turns audited sites into the few facts a history needs (never the site file);
``store`` writes a run in one transaction and keeps each lapse's open intervals;
``views`` asks the database; ``render`` prints the answers as text, JSON or HTML.
"""
