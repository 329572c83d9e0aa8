"""The optional geometry of a site: points, lines and outlines on a local grid or an EPSG system,
what cameras and lamps cover of each wall, GeoJSON in and out.
"""
