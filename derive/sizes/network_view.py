r"""How a :class:`~derive.sizes.network.Network` shows itself: a text tree, and a layer table for Jupyter.

The table has the columns of ``convproof params``: layer, type, output shape,
parameters, MACs and receptive field (when the network has an input shape;
layer, type and parameters otherwise), then the totals.

Examples
--------
>>> from derive.layers import Conv2d, ReLU, MaxPool2d
>>> from derive.sizes.network import Network
>>> net = Network([("conv", Conv2d(3, 16, 3, padding=1)), ("relu", ReLU()), ("pool", MaxPool2d(2))],
...               name="tiny", input_shape=(3, 32, 32))
>>> print(text_tree(net))
Network('tiny', input_shape=(3, 32, 32), params=448)
  (conv): Conv2d(3, 16, kernel_size=3, stride=1, padding=1)
  (relu): ReLU()
  (pool): MaxPool2d(kernel_size=2, stride=2)
>>> print(markdown_table(net))
**tiny** — input (3, 32, 32)
<BLANKLINE>
| layer | type | output shape | params | MACs | RF |
|---|---|---|---:|---:|---|
| conv | Conv2d | (16, 32, 32) | 448 | 442,368 | 3×3 |
| relu | ReLU | (16, 32, 32) | 0 | 0 | 3×3 |
| pool | MaxPool2d | (16, 16, 16) | 0 | 0 | 4×4 |
<BLANKLINE>
parameters 448 · buffers 0 · MACs 442,368 · output (16, 16, 16) · receptive field 4×4
"""

from __future__ import annotations

import html

from .pretty import shape_text, unicode_formula

__all__ = ["text_tree", "markdown_table", "html_table"]

_COLUMNS = ("layer", "type", "output shape", "params", "MACs", "RF")


def text_tree(net, indent: str = "  ") -> str:
    """``Network('name', input_shape=…, params=…)`` and one line per layer, nested networks indented."""
    head = [repr(net.name)]
    if net.input_shape is not None:
        head.append(f"input_shape={shape_text(net.input_shape)}")
    head.append(f"params={unicode_formula(net.params)}")
    lines = [f"{type(net).__name__}({', '.join(head)})"]
    lines.extend(_tree_lines(net, indent))
    return "\n".join(lines)


def _tree_lines(net, indent: str) -> list[str]:
    out = []
    for name, layer in net.layers:
        if hasattr(layer, "layers") and hasattr(layer, "rf_layers"):
            out.append(f"{indent}({name}): {type(layer).__name__}({layer.name!r})")
            out.extend(indent + line for line in _tree_lines(layer, indent))
        else:
            out.append(f"{indent}({name}): {layer!r}")
    return out


def _rows(net):
    """``(header, rows, footer)`` as plain strings; shapes, MACs and RF only with an input shape."""
    if net.input_shape is None:
        rows = [(name, type(layer).__name__, unicode_formula(layer.params)) for name, layer in net.layers]
        return ("layer", "type", "params"), rows, f"parameters {unicode_formula(net.params)} · buffers " \
                                                    f"{unicode_formula(net.buffers)} (no input_shape: no shapes, MACs or RF)"
    rows = []
    for r in net.table():
        rf = "" if r.rf is None else "×".join(unicode_formula(v) for v in r.rf)
        rows.append((r.name, r.kind, shape_text(r.output_shape), unicode_formula(r.params), unicode_formula(r.macs), rf))
    totals = net.totals()
    footer = (f"parameters {unicode_formula(totals['params'])} · buffers {unicode_formula(totals['buffers'])} · "
              f"MACs {unicode_formula(totals['macs'])} · output {shape_text(totals['output_shape'])}")
    try:
        trunk = net.receptive_field()
        footer += " · receptive field " + "×".join(unicode_formula(v) for v in _tuple(trunk.size))
    except ValueError:
        pass
    return _COLUMNS, rows, footer


def _tuple(v):
    return v if isinstance(v, tuple) else (v,)


def _input_text(net) -> str:
    return f" — input {shape_text(net.input_shape)}" if net.input_shape is not None else ""


def markdown_table(net) -> str:
    """The layer table as Markdown (``|`` in names escaped)."""
    header, rows, footer = _rows(net)
    esc = lambda text: str(text).replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    right = {"params", "MACs"}
    lines = [f"**{esc(net.name)}**{_input_text(net)}", "", "| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if h in right else "---" for h in header) + "|"]
    lines.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in rows)
    lines.extend(["", esc(footer)])
    return "\n".join(lines)


def html_table(net) -> str:
    """The layer table as an HTML ``<table>`` (every cell escaped).

    >>> from derive.layers import Conv2d
    >>> from derive.sizes.network import Network
    >>> print(html_table(Network([("<b>", Conv2d(1, 2, 3))], name="n")))  # doctest: +ELLIPSIS
    <div><strong>n</strong><table>...<td>&lt;b&gt;</td><td>Conv2d</td><td style="text-align:right">20</td>...
    """
    header, rows, footer = _rows(net)
    right = {"params", "MACs"}
    esc = html.escape
    cell = lambda tag, h, text: (f'<{tag} style="text-align:right">' if h in right else f"<{tag}>") \
        + esc(str(text)) + f"</{tag}>"  # noqa: E731
    head = "<tr>" + "".join(cell("th", h, h) for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(cell("td", h, c) for h, c in zip(header, row)) + "</tr>" for row in rows)
    return (f"<div><strong>{esc(net.name)}</strong>{esc(_input_text(net))}<table><thead>{head}</thead><tbody>{body}</tbody></table>"
            f"<p>{esc(footer)}</p></div>")
