"""Sphinx extension: render mmtutor's docstring conventions in the API reference.

Two conventions of the package's Google-style docstrings (see STYLE.md) need help from Sphinx:

- ``Formula:`` holds plain-text math aligned with spaces; napoleon would reflow it as
  reStructuredText (and fail on the indentation), so it becomes a rubric and a text block.
- ``Book: section "sec-attention".`` names the book section that derives the code; it becomes
  a cross-reference, so a docstring that names a missing section fails the nitpicky build.

Docstrings also name other objects the way a reader would (``:meth:`FusionClassifier.fit```
inside ``mmtutor.plotting``). When Sphinx cannot resolve such a short name, it is looked up
among mmtutor's documented objects and linked if exactly one matches; anything else still
fails the nitpicky build.
"""

from __future__ import annotations

import re

from sphinx.util.nodes import make_refnode

_BOOK = re.compile(r'Book: section "(sec-[a-z0-9-]+)"')


def _formula_blocks(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        header = re.match(r"^(\s*)Formula:\s*$", lines[i])
        if not header:
            out.append(lines[i])
            i += 1
            continue
        indent = len(header.group(1))
        block = []
        i += 1
        while i < len(lines) and (not lines[i].strip()
                                  or len(lines[i]) - len(lines[i].lstrip()) > indent):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():
            block.pop()
        pad = " " * indent
        out += [f"{pad}.. rubric:: Formula", "", f"{pad}.. code-block:: text", ""]
        out += [f"{pad}    {line[indent:].rstrip()}" if line.strip() else "" for line in block]
        out.append("")
    return out


def process_docstring(app, what, name, obj, options, lines):
    lines[:] = [_BOOK.sub(r"Book: section :ref:`\1`", line) for line in _formula_blocks(lines)]


def resolve_short_name(app, env, node, contnode):
    """Link a short Python name (``FusionClassifier.fit``) to its unique mmtutor object."""
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    matches = [match for match in domain.find_obj(env, node.get("py:module"), node.get("py:class"),
                                                  node["reftarget"], node["reftype"], searchmode=1)
               if match[0].startswith("mmtutor.")]
    if len(matches) != 1:
        return None
    name, obj = matches[0]
    return make_refnode(app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, name)


def setup(app):
    # Run before napoleon (priority 500) so that it sees plain reStructuredText.
    app.connect("autodoc-process-docstring", process_docstring, priority=400)
    app.connect("missing-reference", resolve_short_name)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
