"""The bottom layer: problems in input and their errors, escaping for each output, bounded reads
and safe writes, forked helpers. Imports nothing else of the package.
"""
