"""SVG charts, drawn with plain string building (no plotting library)."""
