"""Data files shipped with siteaudit (analysis defaults)."""
