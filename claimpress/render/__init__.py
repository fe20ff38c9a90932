"""Rendering: the modelled claims -> the pages, snippets, datasets and feeds under docs/.

site says which files are made (render_site), with the Jinja templates in templates/; exports makes
ClaimReview, the datasets and the feeds; reference the field reference from the schema.
"""
