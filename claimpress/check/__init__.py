"""Checking: every claim and registry, from bytes on disk to diagnostics.

load (bytes -> data with positions) -> schema (the JSON Schema in claimpress/schema/) -> rules
(references, dates, what a rating demands); project runs them over a project's files; changed
checks what a git revision changed; suggest and invisible serve them.
"""
