"""Tests for plot_architecture: the graph it reads from a functional model, and the drawing."""

import keras
import pytest
from keras import layers

from mmtutor.plotting import architecture_graph, plot_architecture
from mmtutor.plotting.architecture import COLORS, FUSED


def _fusion_model():
    inputs = {m: keras.Input(shape, name=m) for m, shape in [("image", (4, 4, 1)),
                                                            ("audio", (5, 3))]}
    image_in = keras.Input((4, 4, 1))
    encoder = keras.Model(image_in, layers.Dense(2)(layers.Flatten()(image_in)),
                          name="image_encoder")
    audio = layers.GlobalAveragePooling1D(name="audio_pool")(inputs["audio"])
    joined = layers.Concatenate(name="concat")([encoder(inputs["image"]), audio])
    return keras.Model(inputs, layers.Dense(3, name="head")(joined), name="fusion")


def test_graph_has_one_box_per_layer_a_nested_model_as_one_and_columns_by_depth():
    boxes, edges = architecture_graph(_fusion_model())
    assert set(boxes) == {"image", "audio", "image_encoder", "audio_pool", "concat", "head"}
    assert {b: boxes[b]["column"] for b in boxes} == {
        "image": 0, "audio": 0, "image_encoder": 1, "audio_pool": 1, "concat": 2, "head": 3}
    assert set(edges) == {("image", "image_encoder"), ("audio", "audio_pool"),
                          ("image_encoder", "concat"), ("audio_pool", "concat"),
                          ("concat", "head")}
    assert boxes["image_encoder"]["modalities"] == ("image",)
    assert boxes["head"]["modalities"] == ("image", "audio")
    assert boxes["concat"]["shape"] == "(None, 5)"


def test_longest_path_sets_the_column_of_a_skip_connection():
    x = keras.Input((3,), name="text")
    h = layers.Dense(3, name="a")(x)
    out = layers.Add(name="add")([x, layers.Dense(3, name="b")(h)])
    boxes, _ = architecture_graph(keras.Model(x, out))
    assert boxes["add"]["column"] == 3


def test_boxes_are_colored_by_the_modalities_they_have_seen():
    ax = plot_architecture(_fusion_model(), title="fusion")
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    labels = [t.get_text().split()[0] for t in ax.texts if t.get_text()]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    colors = {name: p.get_facecolor() for name, p in zip(labels, boxes, strict=True)}

    assert colors["audio_pool"] == to_rgba(COLORS["audio"])
    assert colors["head"] == to_rgba(FUSED)
    assert ax.get_title() == "fusion"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "image", "audio", "several modalities"]


def test_shapes_can_be_left_out():
    ax = plot_architecture(_fusion_model(), show_shapes=False)
    assert all("(" not in t.get_text() for t in ax.texts)
    assert any(t.get_text() for t in ax.texts)


def test_a_subclassed_model_is_refused_with_the_fix():
    class Plain(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(TypeError, match="functional Keras model.*subclassed"):
        plot_architecture(Plain())
