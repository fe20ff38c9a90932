"""compact.py: the theme's templates with each run of whitespace in their own text made one newline."""
from __future__ import annotations

import jinja2

from claimpress.mkdocs_plugin.compact import CompactLayout, compact_template


def test_runs_with_a_newline_become_one_newline_and_other_whitespace_stays() -> None:
    source = "<nav>\n    <a>one</a> <b>two</b>\n\n\n    <span>\t three  four</span>\n</nav>\n"
    assert compact_template(source) == "<nav>\n<a>one</a> <b>two</b>\n<span>\t three  four</span>\n</nav>\n"


def test_tags_comments_and_expressions_are_left_as_they_are() -> None:
    source = ('<p>\n  {% set words = "a\n   b" %}\n  {{ "c\n   d" }}\n  {#- a\n   comment -#}\n'
              '  {%- if x %}\n    x\n  {% endif %}\n</p>')
    assert compact_template(source) == ('<p>\n{% set words = "a\n   b" %}\n{{ "c\n   d" }}\n{#- a\n   comment -#}\n'
                                        '{%- if x %}\nx\n{% endif %}\n</p>')


def test_a_template_whose_whitespace_shows_is_kept_whole() -> None:
    for source in ("<pre>\n  a\n    b\n</pre>\n  <p>c</p>", "<TEXTAREA>\n  a</TEXTAREA>\n  x",
                   "{% raw %}\n   {{ x }}\n{% endraw %}\n   y", "{%- raw -%}\n   x{% endraw %}"):
        assert compact_template(source) == source


def test_jinja_renders_the_compacted_html_templates_only() -> None:
    loader = jinja2.DictLoader({"page.html": "<ul>\n  {% for i in items %}\n    <li>{{ i }}</li>\n  {% endfor %}\n</ul>",
                                "feed.xml": "<feed>\n  <id>{{ items[0] }}</id>\n</feed>"})
    env = jinja2.Environment(loader=loader, extensions=[CompactLayout])
    assert env.get_template("page.html").render(items=[1, 2]) == "<ul>\n\n<li>1</li>\n\n<li>2</li>\n\n</ul>"
    assert env.get_template("feed.xml").render(items=["x"]) == "<feed>\n  <id>x</id>\n</feed>"
    plain = jinja2.Environment(loader=loader).get_template("page.html").render(items=[1, 2])
    assert " ".join(plain.split()) == " ".join(env.get_template("page.html").render(items=[1, 2]).split())
