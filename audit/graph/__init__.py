"""The access graph of a site and who watches what, when (guards on shift, cameras, sensors,
lights).
"""
