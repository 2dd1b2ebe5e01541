"""Architecture diagrams: a functional Keras model's layer graph, drawn with Matplotlib only.

No Graphviz (``keras.utils.plot_model`` needs the system program, which a fresh machine or
a reader's laptop may not have): the layers are placed in columns by their distance from the
inputs, one box per layer, an arrow per connection. Each box is colored by the modalities it
has seen, so the diagram shows where the modalities meet: a box reached from one input has
that modality's color, a box reached from several is drawn in the fusion color.
"""

from __future__ import annotations

from collections import defaultdict

from mmtutor import _validation as v
from mmtutor.modalities import MODALITIES
from mmtutor.plotting._axes import get_axes

__all__ = ["architecture_graph", "plot_architecture"]

#: Box colors: one per modality, one for boxes that combine several, one for the rest.
COLORS = {"image": "#cfe2f3", "audio": "#fce5cd", "text": "#d9ead3"}
FUSED, OTHER = "#e1d5e7", "#eeeeee"


def _modality_of(name: str) -> str | None:
    return next((m for m in MODALITIES if name.startswith(m)), None)


def _shape_text(tensor) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in tensor.shape) + ")"


def architecture_graph(model):
    """The layer graph of a functional Keras model: boxes, connections and columns.

    Walks back from the model's outputs through the call that made each tensor, so a layer
    or a nested model (an encoder built as its own functional model) is one box.

    Args:
        model: a built functional Keras model (``keras.Model(inputs, outputs)`` or a
            ``keras.Sequential`` with an ``Input``).

    Returns:
        ``(boxes, edges)``: ``boxes`` maps each layer's name to a dict with ``"layer"``,
        ``"column"`` (its longest distance from an input), ``"shape"`` (its output shape as
        text) and ``"modalities"`` (the inputs it depends on); ``edges`` lists
        ``(from_name, to_name)`` pairs.

    Raises:
        TypeError: if ``model`` is not a functional model (a subclassed ``keras.Model``
            has no layer graph to draw).

    Example:
        >>> import keras
        >>> image = keras.Input((4,), name="image")
        >>> model = keras.Model(image, keras.layers.Dense(2, name="head")(image))
        >>> boxes, edges = architecture_graph(model)
        >>> edges, boxes["head"]["column"], boxes["head"]["modalities"]
        ([('image', 'head')], 1, ('image',))

    Book: section "sec-multimodal-classifier".
    """
    outputs = getattr(model, "outputs", None)
    if not outputs:
        raise TypeError(v.message(
            "plot_architecture", "a functional Keras model (built with keras.Input and "
            "keras.Model(inputs, outputs), or a Sequential with an Input)",
            f"{type(model).__name__} {getattr(model, 'name', '')!r}",
            "Draw the plain-Keras functional build of the model; a subclassed model has no "
            "layer graph"))
    boxes: dict[str, dict] = {}
    parents: dict[str, list[str]] = defaultdict(list)
    stack = list(outputs)
    seen: set[int] = set()
    while stack:
        tensor = stack.pop()
        # KerasTensor._keras_history (operation, node index, tensor index) is how Keras itself
        # walks a functional graph; there is no public accessor for a tensor's producer.
        layer, node_index, _ = tensor._keras_history
        name = layer.name
        if name not in boxes:
            boxes[name] = {"layer": layer, "shape": _shape_text(tensor)}
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        node = layer._inbound_nodes[node_index]
        for source in node.input_tensors:
            source_name = source._keras_history[0].name
            if source_name not in parents[name]:
                parents[name].append(source_name)
            stack.append(source)
    columns: dict[str, int] = {}

    def column(name: str) -> int:
        if name not in columns:
            columns[name] = 1 + max((column(p) for p in parents[name]), default=-1)
        return columns[name]

    def modalities(name: str) -> tuple[str, ...]:
        box = boxes[name]
        if "modalities" not in box:
            own = _modality_of(name) if not parents[name] else None
            found = {own} if own else set()
            for p in parents[name]:
                found.update(modalities(p))
            box["modalities"] = tuple(m for m in MODALITIES if m in found)
        return box["modalities"]

    for name in boxes:
        boxes[name]["column"] = column(name)
        modalities(name)
    edges = [(p, name) for name in boxes for p in reversed(parents[name])]
    return boxes, sorted(edges, key=lambda e: (boxes[e[1]]["column"], e))


def _rows(boxes, edges) -> dict[str, float]:
    """Place the boxes of each column top to bottom, each near the mean row of its parents."""
    by_column: dict[int, list[str]] = defaultdict(list)
    for name, box in boxes.items():
        by_column[box["column"]].append(name)
    parents = defaultdict(list)
    for source, target in edges:
        parents[target].append(source)
    order = {m: i for i, m in enumerate(MODALITIES)}
    rows: dict[str, float] = {}
    for col in sorted(by_column):
        names = by_column[col]
        if col == 0:
            names.sort(key=lambda n: (order.get(_modality_of(n) or "", len(order)), n))
        else:
            names.sort(key=lambda n: (sum(rows[p] for p in parents[n]) / len(parents[n]), n))
        offset = (len(names) - 1) / 2
        for i, name in enumerate(names):
            rows[name] = i - offset
    return rows


def plot_architecture(model, *, ax=None, title=None, show_shapes=True):
    """Draw a functional Keras model's layers and connections, colored by modality.

    Inputs are on the left, outputs on the right; a column holds the layers at the same
    longest distance from an input. An ``Input`` named after a modality (``"image"``,
    ``"audio"``, ``"text"``, or a name starting with one) gives its color to every box that
    depends on it alone; boxes that depend on several modalities, where fusion has happened,
    are drawn in a common fusion color. A nested model (an encoder) is one box.

    Args:
        model: a built functional Keras model.
        ax: matplotlib axes to draw into; None makes a new figure sized to the graph.
        title: optional axes title.
        show_shapes: whether each box shows its output shape (batch axis as ``None``).

    Returns:
        The matplotlib axes.

    Raises:
        TypeError: if ``model`` is not a functional model.

    Example:
        >>> import keras
        >>> image = keras.Input((4,), name="image")
        >>> audio = keras.Input((3,), name="audio")
        >>> joined = keras.layers.Concatenate(name="concat")([image, audio])
        >>> model = keras.Model([image, audio], keras.layers.Dense(2, name="head")(joined))
        >>> ax = plot_architecture(model, title="early fusion")
        >>> sorted(t.get_text().split()[0] for t in ax.texts if t.get_text())
        ['audio', 'concat', 'head', 'image']

    Book: section "sec-multimodal-classifier".
    """
    boxes, edges = architecture_graph(model)
    rows = _rows(boxes, edges)
    n_columns = 1 + max(box["column"] for box in boxes.values())
    height = 1 + max(rows.values()) - min(rows.values())
    if ax is None:
        ax = get_axes(None, figsize=(min(2.0 * n_columns, 16), max(1.2 * height, 1.6)))
    width, tall = 0.86, 0.62
    longest = max(len(line) for name, box in boxes.items()
                  for line in (name, type(box["layer"]).__name__, box["shape"]))
    fontsize = 7 if longest <= 16 else max(5.5, 7 * 16 / longest)  # long names fit their box
    for source, target in edges:
        x0, y0 = boxes[source]["column"] + width / 2, -rows[source]
        x1, y1 = boxes[target]["column"] - width / 2, -rows[target]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.35", "lw": 1})
    for name, box in boxes.items():
        found = box["modalities"]
        color = COLORS[found[0]] if len(found) == 1 else FUSED if found else OTHER
        label = f"{name}\n{type(box['layer']).__name__}"
        if show_shapes:
            label += f"\n{box['shape']}"
        x, y = box["column"], -rows[name]
        ax.add_patch(_box(x - width / 2, y - tall / 2, width, tall, color))
        ax.text(x, y, label, ha="center", va="center", fontsize=fontsize)
    _legend(ax, {m for box in boxes.values() for m in box["modalities"]},
            any(len(box["modalities"]) > 1 for box in boxes.values()))
    ax.set_xlim(-0.6, n_columns - 0.4)
    ax.set_ylim(-max(rows.values()) - 0.6, -min(rows.values()) + 0.6)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def _legend(ax, found: set, fused: bool) -> None:
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=COLORS[m], edgecolor="0.3", label=m) for m in MODALITIES
               if m in found]
    if fused:
        handles.append(Patch(facecolor=FUSED, edgecolor="0.3", label="several modalities"))
    if len(handles) > 1:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                  ncol=len(handles), fontsize=7, frameon=False)


def _box(x, y, width, height, color):
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch((x, y), width, height, boxstyle="round,pad=0.02", facecolor=color,
                          edgecolor="0.3", linewidth=0.8)
