"""A grid of small images on one axes: digits, reconstructions, generated images."""

from __future__ import annotations

import numpy as np

from mmtutor import _validation as v
from mmtutor.plotting._axes import get_axes


def plot_image_grid(images, *, ncols=8, labels=None, ax=None, cmap="gray_r", title=None):
    """Tile images into one mosaic, row by row, optionally with a label on each.

    To compare originals with reconstructions, stack them so each row of the grid holds one
    kind: ``plot_image_grid(np.concatenate([x[:8], x_hat[:8]]), ncols=8)``.

    Args:
        images: shape ``(num_images, height, width)`` or ``(num_images, height, width, 1)``,
            values in ``[0, 1]``.
        ncols: images per row.
        labels: optional text per image (e.g. the predicted class), length ``num_images``.
        ax: matplotlib axes to draw into; None makes a new figure.
        cmap: matplotlib color map (``"gray_r"``: ink dark on white, as the digits look).
        title: optional axes title.

    Returns:
        The matplotlib axes.

    Raises:
        ValueError: if ``images`` has the wrong rank or ``labels`` the wrong length.

    Example:
        >>> ax = plot_image_grid(np.zeros((3, 8, 8, 1)), ncols=2)
        >>> ax.images[0].get_array().shape  # 2 rows, 2 columns, 1-pixel gaps
        (17, 17)

    Book: section "sec-shared-representations".
    """
    v.check_positive_int("plot_image_grid", "ncols", ncols)
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]  # (num_images, height, width)
    v.check_rank("plot_image_grid", "images", x, 3,
                 "(num_images, height, width) or (num_images, height, width, 1)")
    if labels is not None and len(labels) != len(x):
        raise ValueError(v.message("plot_image_grid", "one label per image",
                                   f"{len(labels)} labels for {len(x)} images"))
    n, h, w = x.shape
    ncols = min(ncols, max(n, 1))
    nrows = -(-n // ncols)
    grid = np.full((nrows * (h + 1) - 1, ncols * (w + 1) - 1), np.nan)  # NaN gaps: blank
    for i in range(n):
        r, c = divmod(i, ncols)
        grid[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = x[i]
    ax = get_axes(ax, figsize=(0.7 * ncols + 0.5, 0.7 * nrows + 0.5))
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    if labels is not None:
        for i, label in enumerate(labels):
            r, c = divmod(i, ncols)
            ax.text(c * (w + 1), r * (h + 1), str(label), fontsize=7, va="top",
                    color="tab:red")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
