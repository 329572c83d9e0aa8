"""The ``siteaudit`` command: a thin layer over ``audit.app`` and the analysis."""
