"""A site file from bytes to a validated model: positions, the model, week schedules, threats, the
JSON Schema and the starter file.
"""
