"""Checklists as data: load rule packs (YAML), select rules, run them on a site, and
turn what the checks hit into findings."""
