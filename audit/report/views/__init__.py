"""Views the formats share: the summary, tables, the path and diff reports, the improve report, one
rule, the site plan drawing.
"""
