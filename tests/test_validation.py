"""Unit tests for mmtutor._validation: every error message has the house shape."""

import numpy as np
import pytest
import tensorflow as tf

from mmtutor import _validation as v


def test_message_has_house_format():
    assert v.message("Layer", "inputs of rank 3", "inputs with shape (2,)", "Add an axis.") == (
        "Layer expects inputs of rank 3. Received: inputs with shape (2,). Add an axis.")
    assert v.message("f", "x", "x=1") == "f expects x. Received: x=1."


def test_shape_of_reads_arrays_tensors_and_lists():
    assert v.shape_of(np.zeros((2, 3))) == (2, 3)
    assert v.shape_of(tf.zeros((4,))) == (4,)
    assert v.shape_of([[1, 2]]) == (1, 2)


def test_is_eager_is_false_inside_a_traced_function():
    assert v.is_eager(np.zeros(2), tf.zeros(2))
    seen = []

    @tf.function
    def traced(x):
        seen.append(v.is_eager(x))
        return x

    traced(tf.zeros(2))
    assert seen == [False]


def test_check_option_lists_the_options():
    v.check_option("f", "mode", "a", ("a", "b"))
    with pytest.raises(ValueError, match=r"f expects mode to be one of 'a', 'b'\. Received: "
                       r"mode='c'\. Pass one of 'a', 'b'\."):
        v.check_option("f", "mode", "c", ("a", "b"))


def test_check_type_rejects_bool_where_int_expected():
    v.check_type("f", "n", 3, int, "an integer")
    with pytest.raises(TypeError, match=r"f expects n to be an integer\. Received: n=True of "
                       r"type bool\."):
        v.check_type("f", "n", True, int, "an integer")
    v.check_type("f", "flag", True, bool, "True or False")


def test_check_positive_int():
    v.check_positive_int("f", "n", np.int64(2))
    with pytest.raises(ValueError, match=r"f expects n to be a positive integer\. Received: n=-1"):
        v.check_positive_int("f", "n", -1)
    with pytest.raises(TypeError, match="of type str"):
        v.check_positive_int("f", "n", "3")


def test_check_rank_and_same_shape():
    v.check_rank("f", "x", np.zeros((2, 3)), (2, 3), "(batch_size, features)")
    with pytest.raises(ValueError, match=r"f expects x of rank 2 or 3, \(a\)\. Received: x with "
                       r"shape \(4,\)\. Fix it\."):
        v.check_rank("f", "x", np.zeros(4), (2, 3), "(a)", "Fix it")
    v.check_same_shape("f", "a", tf.zeros((2, 3)), "b", np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"f expects a and b to have the same shape\. Received: a"
                       r" with shape \(2, 3\) and b with shape \(2, 3, 1\)\."):
        v.check_same_shape("f", "a", np.zeros((2, 3)), "b", np.zeros((2, 3, 1)))


def test_check_probabilities_only_checks_eager_values():
    v.check_probabilities("f", "p", np.array([[0.25, 0.75]]))
    v.check_probabilities("f", "p", np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"f expects p to hold probabilities.*sums in \[2, 2\]"):
        v.check_probabilities("f", "p", np.array([[1.0, 1.0]]))

    @tf.function
    def traced(p):
        v.check_probabilities("f", "p", p)
        return p

    traced(tf.constant([[1.0, 1.0]]))  # no value check inside a trace


def test_check_labels():
    np.testing.assert_array_equal(v.check_labels("f", "y", [0.0, 2.0]), [0, 2])
    with pytest.raises(ValueError, match=r"f expects y to be integer class labels\. Received: y "
                       r"with dtype float64 and non-integer values\. Pass class indices"):
        v.check_labels("f", "y", [0.5, 1.0])


def test_check_input_shape_accepts_and_normalises():
    assert v.check_input_shape("M", [8, np.int64(8), 1], 3, "(h, w, c)") == (8, 8, 1)
    assert v.check_input_shape("M", (None, 4), 2, "(steps, features)", allow_none=(0,)) == (
        None, 4)
    assert v.check_input_shape("M", (5,), None, "(...)") == (5,)


@pytest.mark.parametrize("shape", [(8, 8), (8, 0, 1), (8, 8.0, 1), (None, 8, 1), (8, True, 1)])
def test_check_input_shape_rejects_bad_sizes(shape):
    with pytest.raises(ValueError, match=r"M expects input_shape to be 3 positive integers, "
                       r"\(h, w, c\)\. Received: input_shape=.*\. Add a channel axis\."):
        v.check_input_shape("M", shape, 3, "(h, w, c)", "Add a channel axis")


def test_check_input_shape_rejects_empty_and_non_tuples():
    with pytest.raises(ValueError, match="expects input_shape to be one or more positive"):
        v.check_input_shape("M", (), None, "(...)")
    with pytest.raises(TypeError, match=r"M expects input_shape to be a tuple, \(h, w, c\)\. "
                       r"Received: input_shape=8 of type int\."):
        v.check_input_shape("M", 8, 3, "(h, w, c)")


def test_check_distribution_uses_the_given_fix():
    v.check_distribution("f", "y", np.array([[0.0, 1.0]]), "Fix")
    v.check_distribution("f", "y", np.zeros((0, 2)), "Fix")
    with pytest.raises(ValueError, match=r"f expects y to hold probabilities.*Received: y with "
                       r"values in \[-1, 2\] and sums in \[1, 1\]\. One-hot them\."):
        v.check_distribution("f", "y", np.array([[-1.0, 2.0]]), "One-hot them")


def test_check_distribution_skips_values_inside_a_trace():
    @tf.function
    def traced(p):
        v.check_distribution("f", "y", p, "Fix")
        return p

    traced(tf.constant([[2.0, 2.0]]))  # would raise eagerly


@pytest.mark.parametrize("value", [0.5, 1, np.float32(0.5), np.float64(0.25), np.int8(1),
                                   np.uint16(1)])
def test_check_real_accepts_python_and_numpy_numbers_and_returns_a_float(value):
    got = v.check_real("f", "x", value, minimum=0, maximum=1)
    assert type(got) is float and got == float(value)


@pytest.mark.parametrize("value", [True, np.bool_(False), "0.5", None, [0.5], np.array(0.5)])
def test_check_real_rejects_non_numbers_with_their_type(value):
    with pytest.raises(TypeError, match=r"^f expects x to be a real number\. Received: x=.* of "
                       r"type \w+\. Pass a Python int or float \(or a NumPy number\)\.$"):
        v.check_real("f", "x", value)


@pytest.mark.parametrize(("kwargs", "text", "good", "bad"), [
    ({"minimum": 0, "strict": True}, "> 0", [1e-9, 5], [0, -1]),
    ({"minimum": 0}, ">= 0", [0, 5], [-1e-9]),
    ({"maximum": 1, "strict": True}, "< 1", [0.999, -5], [1]),
    ({"minimum": 0, "maximum": 1, "strict_maximum": True}, r"in \[0, 1\)", [0, 0.5], [1, -0.1]),
    ({"minimum": 0, "maximum": 1, "strict_minimum": True}, r"in \(0, 1\]", [1, 0.5], [0, 1.1]),
    ({"minimum": 0, "maximum": 1, "strict": True}, r"in \(0, 1\)", [0.5], [0, 1]),
    ({"minimum": 0.5, "maximum": 2.5}, r"in \[0\.5, 2\.5\]", [0.5, 2.5], [0.4, 2.6]),
])
def test_check_real_ranges(kwargs, text, good, bad):
    for value in good:
        assert v.check_real("f", "rate", value, **kwargs) == value
    for value in bad:
        with pytest.raises(ValueError, match=rf"^f expects rate to be a real number {text}\. "
                           rf"Received: rate={value!r}\. Fix it\.$"):
            v.check_real("f", "rate", value, fix="Fix it", **kwargs)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -np.inf, 10**400])
def test_check_real_rejects_nan_and_infinity(value):
    with pytest.raises(ValueError, match=r"f expects x to be a real number\. Received: x="):
        v.check_real("f", "x", value)


@pytest.mark.parametrize("x", [[1, 2], [[1.0], [2.0]], np.zeros((2, 0)), np.array([True]),
                               tf.zeros((2, 3), dtype=tf.int8), np.float32(1.0), 3])
def test_check_array_accepts_numeric_data(x):
    v.check_array("f", "x", x)


@pytest.mark.parametrize(("x", "received"), [
    ("abc", r"x='abc' of type str"),
    (None, r"x=None of type NoneType"),
    ([[1, 2], [3]], r"x=\[\[1, 2\], \[3\]\] of type list"),
    ({"a": 1}, r"x=\{'a': 1\} of type dict"),
    (np.array(["a", "b"]), r"x with dtype <U1 and shape \(2,\)"),
    (np.array([object()]), r"x with dtype object and shape \(1,\)"),
    (tf.constant(["a"]), r"x=.* of type EagerTensor"),
])
def test_check_array_names_what_it_received(x, received):
    with pytest.raises(TypeError, match=rf"^f expects x to be a numeric array or tensor, "
                       rf"\(n, d\)\. Received: {received}\. Pass a NumPy array"):
        v.check_array("f", "x", x, what="(n, d)")


def test_check_array_checks_values_only_when_asked_and_eager():
    v.check_array("f", "x", [np.nan, np.inf])  # finite=False by default
    v.check_array("f", "x", [])  # allow_empty=True by default
    with pytest.raises(ValueError, match=r"^f expects x to hold finite values\. Received: x "
                       r"with 1 NaN and 2 infinite values among 4 \(the first at index "
                       r"\(0, 1\)\)\. Drop or impute"):
        v.check_array("f", "x", [[1.0, np.inf], [np.nan, -np.inf]], finite=True)
    with pytest.raises(ValueError, match=r"^f expects x to be non-empty\. Received: x with "
                       r"shape \(0, 3\)\. Pass at least one example\.$"):
        v.check_array("f", "x", np.zeros((0, 3)), allow_empty=False)
    v.check_array("f", "x", np.array([1, 2]), finite=True, allow_empty=False)

    @tf.function
    def traced(x):
        v.check_array("f", "x", x, finite=True)  # no value check inside a trace
        return x

    traced(tf.constant([np.nan]))


def test_check_labels_rejects_non_finite_and_string_labels():
    with pytest.raises(ValueError, match=r"f expects y to hold finite values"):
        v.check_labels("f", "y", [0.0, np.inf])
    with pytest.raises(TypeError, match=r"f expects y to be a numeric array or tensor, integer "
                       r"class labels"):
        v.check_labels("f", "y", ["0", "1"])
