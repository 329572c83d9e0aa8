"""Output formats, one module per format; each has ``render(results, **options) -> str``."""
