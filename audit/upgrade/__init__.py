"""Upgrade analysis: which fixes, in what order, for what cost (``siteaudit improve``).

``candidates`` generates the small, named changes a site could make, priced
from ``audit/data/upgrades.yaml``; ``plan`` finds the cheapest set that lifts
every asset to its goal by re-running the exact path analysis on each
upgraded version of the site file; ``remedies`` turns the ``fix`` a checklist
rule declares into candidates, so the plan closes the findings P(E) does not
measure too.
"""

KINDS = (
    "alarm",
    "alarm-comms",
    "armed-guard",
    "backup-power",
    "camera",
    "camera-night",
    "camera-repair",
    "camera-watch",
    "clear-zone",
    "fence-repair",
    "gate",
    "grille",
    "harden",
    "light",
    "light-backup",
    "light-repair",
    "lock",
    "radio",
    "raise-barrier",
    "reaction-team",
    "responder-standby",
    "staff-post",
    "standoff",
    "switch",
    "tamper",
    "team-grow",
    "topping",
    "vantage-control",
    "vehicle-barrier",
)
"""Every kind of upgrade (``candidates.APPLY`` has one function per kind)."""

TOLERANCE = 1e-9
"""Below this, a shortfall or a difference of cost is rounding."""
