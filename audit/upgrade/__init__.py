"""Upgrade analysis: which fixes, in what order, for what cost (``siteaudit improve``).

``candidates`` generates the small, named changes a site could make, priced
from ``audit/data/upgrades.yaml``; ``plan`` finds the cheapest set that lifts
every asset to its goal by re-running the exact path analysis on each
upgraded version of the site file.
"""

KINDS = (
    "alarm",
    "alarm-comms",
    "camera",
    "camera-repair",
    "light-backup",
    "lock",
    "radio",
    "reaction-team",
    "staff-post",
    "topping",
    "vehicle-barrier",
)
"""Every kind of upgrade (``candidates.APPLY`` has one function per kind)."""
