"""The library side of the commands: audit one file or a folder, compare two versions, project
configuration, the exit-code contract.
"""
