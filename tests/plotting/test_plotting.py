"""Plotting helpers: each draws into the given axes (or a new one) and returns it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mmtutor import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    return plt.subplots()[1]


def test_every_helper_draws_into_the_given_axes_and_returns_it(ax):
    rng = np.random.default_rng(0)
    calls = [
        lambda a: plotting.plot_history({"loss": [2, 1], "val_loss": [2, 1.5]}, ax=a),
        lambda a: plotting.plot_confusion_matrix([0, 1], [1, 1], ax=a),
        lambda a: plotting.plot_embeddings(rng.normal(size=(6, 3)), [0, 1] * 3, ax=a),
        lambda a: plotting.plot_attention_weights([[0.5, 0.5]], ax=a),
        lambda a: plotting.plot_image_grid(rng.random((3, 8, 8)), ax=a),
        lambda a: plotting.plot_spectrogram(rng.normal(size=(5, 4)), ax=a),
        lambda a: plotting.plot_waveform(rng.normal(size=100), ax=a),
    ]
    for call in calls:
        assert call(ax) is ax


def test_confusion_matrix_counts_and_normalized_rows():
    y_true, y_pred = [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0]
    counts = plotting.plot_confusion_matrix(y_true, y_pred).images[0].get_array()
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    rates = plotting.plot_confusion_matrix(y_true, y_pred, normalize=True,
                                           class_names=["a", "b", "c"]).images[0].get_array()
    np.testing.assert_allclose(rates.sum(axis=1), 1.0)


def test_history_draws_training_and_validation_curves():
    ax = plotting.plot_history({"accuracy": [0.1, 0.5, 0.9], "val_accuracy": [0.1, 0.4, 0.7]},
                               metrics="accuracy")
    solid, dashed = ax.get_lines()
    np.testing.assert_array_equal(dashed.get_ydata(), [0.1, 0.4, 0.7])
    assert dashed.get_linestyle() == "--" and solid.get_color() == dashed.get_color()


def test_history_rejects_unknown_metric():
    with pytest.raises(ValueError, match=r"plot_history expects a metric recorded"):
        plotting.plot_history({"loss": [1.0]}, metrics=("accuracy",))


def test_project_2d_pca_keeps_the_main_direction():
    rng = np.random.default_rng(1)
    x = np.outer(np.arange(12.0), [1.0, 2.0, 0.0]) + rng.normal(scale=0.01, size=(12, 3))
    points = plotting.project_2d(x, method="pca")
    assert points.shape == (12, 2)
    order = np.argsort(points[:, 0])  # the first component orders the points as the line does
    assert list(order) in (list(range(12)), list(range(11, -1, -1)))


def test_project_2d_none_passes_2d_data_through_and_rejects_3d():
    x = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(plotting.project_2d(x, method="none"), x)
    with pytest.raises(ValueError, match=r"2-D embeddings for method='none'"):
        plotting.project_2d(np.ones((3, 3)), method="none")


def test_embeddings_use_class_names_in_the_legend():
    ax = plotting.plot_embeddings(np.eye(4), [0, 1, 0, 1], class_names=["zero", "one"],
                                  title="codes")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["zero", "one"]


def test_project_2d_rejects_unknown_method():
    with pytest.raises(ValueError, match=r"method to be one of 'pca', 'tsne', 'none'"):
        plotting.project_2d(np.ones((3, 3)), method="umap")


def test_image_grid_places_images_row_by_row():
    images = np.stack([np.full((2, 2), i / 4) for i in range(4)])
    grid = plotting.plot_image_grid(images, ncols=3, labels=list("abcd")).images[0].get_array()
    assert grid.shape == (5, 8)
    assert grid[0, 6] == 0.5 and grid[3, 0] == 0.75
    assert np.ma.is_masked(grid[3, 3])  # the gap between images is blank (NaN, masked)


def test_attention_weights_rejects_wrong_number_of_names():
    with pytest.raises(ValueError, match=r"one name per column"):
        plotting.plot_attention_weights([[0.5, 0.5]], names=["image"])


def test_spectrogram_puts_time_across():
    ax = plotting.plot_spectrogram(np.arange(12.0).reshape(3, 4))  # 3 frames, 4 mel bins
    assert ax.images[0].get_array().shape == (4, 3)


def test_spectrogram_rejects_a_batch():
    with pytest.raises(ValueError, match=r"plot_spectrogram expects log_mel of rank 2"):
        plotting.plot_spectrogram(np.zeros((2, 3, 4)))


def test_plot_histories_puts_runs_in_columns_and_metrics_in_rows():
    runs = {"image": {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.5, 0.7]},
            "fused": {"loss": [0.9, 0.4], "val_loss": [1.0, 0.5], "accuracy": [0.6, 0.8]}}
    axes = plotting.plot_histories(runs)
    assert axes.shape == (2, 2)
    assert [ax.get_title() for ax in axes[0]] == ["image", "fused"]
    assert [line.get_label() for line in axes[0, 1].get_lines()] == ["loss", "val_loss"]
    assert [line.get_label() for line in axes[1, 0].get_lines()] == ["accuracy"]
    assert plotting.plot_histories(runs, metrics="loss").shape == (1, 2)
