"""Authoring: the commands that write claims for contributors (new, import-claimreview, fmt), and
clean, which makes what they write pass check whatever they are given."""
