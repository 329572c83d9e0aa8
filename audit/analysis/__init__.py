"""Adversary path analysis: element values by the hour, EASI, and the most vulnerable path."""
