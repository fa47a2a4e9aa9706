"""The three products of a 2-D convolution, on validated arrays (private).

Given a :class:`~numeric._conv_geometry.ConvGeometry` and ``groups``:

* :func:`forward`      ``Y[n,o,i,j] = Σ_{c,p,q} W[o,c,p,q]·X[n, g·C_g + c, s_h i + d_h p − P_h, s_w j + d_w q − P_w]``
* :func:`grad_input`   ``∂L/∂X`` = the adjoint of the same sum (a transposed convolution)
* :func:`grad_weight`  ``∂L/∂W[o,c,p,q] = Σ_{n,i,j} G[n,o,i,j]·X[n, g·C_g + c, s_h i + d_h p − P_h, …]``

Algorithm and threads, chosen per shape by :func:`conv_path` and
:func:`thread_mode` (first matching row wins; tested in
``tests/numeric/test_conv_paths.py``):

=============  ===========================================================
path           when
=============  ===========================================================
``pointwise``  1×1, stride 1, no padding, ungrouped
               (:mod:`numeric._conv_pointwise`)
``winograd``   3×3, stride 1, undilated, zero padding, ungrouped, and
               ``C_in·C_out >= 48²`` (:mod:`numeric._conv_winograd`)
``depthwise``  one input and one output channel per group
               (:mod:`numeric._conv_direct`)
``grouped``    ``groups > 1`` and one (sample, group) block unfolds to
               ``>= MIN_BLOCK`` (2^15) numbers (:mod:`numeric._conv_grouped`)
``batch last`` zero padding, ``N >= MIN_BATCH`` (8) and ``W_out <= MAX_ROW``
               (16): many small images (:mod:`numeric._conv_batch_last`)
``im2col``     everything else
=============  ===========================================================

The forward pass alone first checks one more row (:func:`forward_path`):
``rows`` — stride 1, zero padding, ungrouped, ``C_out <= 16``
(:mod:`numeric._conv_rows`: a direct register-blocked kernel; with so few
output channels a matrix product's packing is not amortised — LeNet's
layers). The weight-gradient takes it too when moreover
``C_in·kh·kw <= 32`` (:func:`numeric._conv_rows.rows_grad_weight_applies`).

=================  =======================================================
threads            when (``work`` = multiply-adds of the forward pass)
=================  =======================================================
``batch chunks``   ``work >= SPLIT_MIN_WORK`` (2^26), batch >= 2, not
                   depthwise, 2 or more threads (:mod:`numeric._batch_split`)
``threads``        ``work >= PARALLEL_MIN_WORK`` (2^24): BLAS's threads,
                   or the plane ranges of the depthwise kernels
``serial``         smaller work: the calling thread alone
                   (:mod:`numeric._threads`)
=================  =======================================================

* ``pointwise`` — one BLAS product per sample straight on the NCHW arrays:
  a 1×1 kernel needs neither an unfolded copy nor a transposed result.
* ``im2col`` — the patches are unfolded by the serial Numba kernel
  ``im2col2d`` and the sums become matrix products done by BLAS
  (``numpy.matmul``), one per group and over the whole batch at once (few
  large products keep BLAS's threads busy with few synchronisations); the
  input-gradient folds the product back with ``col2im2d``. Large images
  (``PER_SAMPLE_MIN_PIXELS``) go sample by sample and, within a sample, by
  cache-sized tiles of output pixels (:func:`pixel_tiles`): each tile is
  unfolded, multiplied and (for the input-gradient) folded back while in
  cache, for all three products.
* ``winograd`` — Winograd's F(2×2, 3×3): 16 products over the channels with
  2.25 times fewer multiply-adds than im2col's one, between cheap tile
  transforms (the ResNet body).
* ``batch last`` — im2col on the input transposed to (C, H, W, N), whose
  unfolding copies whole rows of all samples at once (LeNet's 10-pixel rows
  made the NCHW unfolding cost more than the product).
* ``grouped`` — each (sample, group) block is unfolded and multiplied
  while it is in cache, instead of one whole-batch unfolding per group.
* ``depthwise`` — a direct loop, since a 1×k² matrix product per channel
  wastes BLAS and the unfolded copy costs k² times the input; at stride 1
  with zero padding over zero-padded plane copies, four taps per pass.

In ``batch chunks`` mode each chunk runs the whole convolution on its own
thread with single-threaded BLAS: the serial unfolding and tile transforms
then use every core too, and no thread pool spins while another works. The
weight-gradient is the sum of the chunks'.

The transposed convolution reuses the same three products with the roles of
input and output exchanged; its backward pass needs a forward pass and a
weight-gradient of the same (output-gradient) input, and
:func:`forward_and_grad_weight` unfolds that input once for both.

A horizontally strided unfolding gathers every ``s_w``-th number, which the
compiled loops do not vectorise. Where measured to pay, the input is first
split into its ``s_w`` column phases so that every row copy or addition is
contiguous (:mod:`numeric._conv_im2col`): the tiled unfolding when
``k_w > PHASES_MIN_READS·s_w`` (the stem), and the whole-batch fold of the
input-gradient (the transposed ×2 decoder's forward pass).
"""

from __future__ import annotations

import numpy as np

from ._batch_split import batch_chunks, run_chunks
from ._conv_batch_last import batch_last_applies, col2im_last, from_batch_last, im2col_last, to_batch_last
from ._conv_direct import depthwise_forward, depthwise_grad_input, depthwise_grad_weight
from ._conv_geometry import ConvGeometry
from ._conv_grouped import grouped_applies, grouped_forward, grouped_grad_input, grouped_grad_weight
from ._conv_im2col import (col2im2d, col2im2d_add, col2im2d_phases, column_phases, im2col2d, im2col2d_phases,
                           merge_column_phases)
from ._conv_rows import rows_applies, rows_forward, rows_grad_weight, rows_grad_weight_applies
from ._conv_pointwise import pointwise_applies, pointwise_forward, pointwise_grad_input, pointwise_grad_weight
from ._conv_winograd import winograd_applies, winograd_forward, winograd_grad_input, winograd_grad_weight
from ._conv_workspace import workspace
from . import _threads
from ._threads import call_kernel, serial_below

__all__ = ["conv_path", "forward_path", "thread_mode", "forward", "grad_input", "grad_weight", "grad_bias", "backward",
           "forward_and_grad_weight"]


def _args(geo: ConvGeometry):
    (kh, kw), (sh, sw), (dh, dw), (ph, pw), (ho, wo) = (
        geo.kernel, geo.stride, geo.dilation, geo.pad_lo, geo.out_size)
    return kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, geo.circular


def _is_depthwise(weight_shape: tuple[int, ...], groups: int) -> bool:
    return groups > 1 and weight_shape[0] == groups and weight_shape[1] == 1


def conv_path(geo: ConvGeometry, groups: int, weight_shape: tuple[int, ...], n: int) -> str:
    """The algorithm for a batch of ``n`` of this shape (the module's table).

    One of ``"pointwise"``, ``"winograd"``, ``"depthwise"``, ``"grouped"``,
    ``"batch last"``, ``"im2col"``.
    """
    if pointwise_applies(geo, groups):
        return "pointwise"
    if winograd_applies(geo, groups, weight_shape):
        return "winograd"
    if _is_depthwise(weight_shape, groups):
        return "depthwise"
    if grouped_applies(geo, groups, weight_shape):
        return "grouped"
    if batch_last_applies(geo, n):
        return "batch last"
    return "im2col"


def forward_path(geo: ConvGeometry, groups: int, weight_shape: tuple[int, ...], n: int) -> str:
    """The forward pass's algorithm: ``"rows"`` (:mod:`numeric._conv_rows`) where it applies, else :func:`conv_path`'s."""
    if rows_applies(geo, groups, weight_shape):
        return "rows"
    return conv_path(geo, groups, weight_shape, n)


def thread_mode(n: int, weight_shape: tuple[int, ...], groups: int, geo: ConvGeometry) -> str:
    """``"batch chunks"``, ``"threads"`` or ``"serial"``: how a call of this shape uses threads (the module's table)."""
    if _chunks(n, weight_shape, groups, geo) is not None:
        return "batch chunks"
    return "threads" if _work(n, weight_shape, geo) >= _threads.PARALLEL_MIN_WORK else "serial"


def _window(geo: ConvGeometry) -> int:
    return geo.kernel[0] * geo.kernel[1]


#: The tiled unfolding reads a strided input from its column phases when the kernel is wider than this many
#: strides (``k_w > 2·s_w``): each phase row then serves at least three kernel columns (the stem's 7×7/2: four).
#: Measured, the whole forward pass on one core: stem 8×3×224² k7 s2 34.5 → 29.0 ms; 3×3 stride 2 on
#: 4×64×112² 16.9 → 19.4 ms and on 4×32×224² 25.6 → 26.7 ms (losses: kept on the strided gather).
PHASES_MIN_READS = 2


def _phased(x: np.ndarray, geo: ConvGeometry) -> np.ndarray | None:
    """``x`` split into its column phases (:func:`~numeric._conv_im2col.column_phases`, in the ``phases``
    buffer) where the unfolding is horizontally strided with zero padding, else ``None``.

    A stride-2 row copy gathers every other number, which the compiled loop does not vectorise; from the
    phases every row copy is contiguous. Used by the tiled unfolding only (:func:`_tile_walk`), where the
    patch columns stay in cache and the gather was the cost (measured on the stem's tiles: 1.15 → 0.39 ms
    per 224² sample, the split itself 0.08 ms); a whole-batch unfolding is bound by writing its columns to
    memory, and there the phases gained nothing or lost (3×3 stride 2: 1.02–1.17× the time; transposed
    ×2 decoder, 4.2 → 4.7 ms).
    """
    sw = geo.stride[1]
    if sw == 1 or geo.circular or geo.kernel[1] <= PHASES_MIN_READS * sw:
        return None
    n, c, h, w = x.shape
    return column_phases(x, sw, workspace((n, c, h, sw, -(-w // sw)), x.dtype, "phases"))


def _im2col(x: np.ndarray, xs: np.ndarray | None, args: tuple, cols: np.ndarray) -> None:
    """``cols`` ← the unfolding of ``x`` with the geometry arguments ``args`` (from its phases ``xs`` if given)."""
    if xs is None:
        im2col2d(x, *args, cols)
    else:
        im2col2d_phases(xs, *args[:-1], cols)


def _unfold(x: np.ndarray, geo: ConvGeometry) -> np.ndarray:
    """The patch matrix (C·kh·kw, N·H_out·W_out) of ``x``, in the reusable ``cols`` buffer."""
    n, c = x.shape[:2]
    ho, wo = geo.out_size
    cols = workspace((c * _window(geo), n, ho * wo), x.dtype, "cols")
    im2col2d(x, *_args(geo), cols)
    return cols.reshape(cols.shape[0], -1)


def _args_last(geo: ConvGeometry):
    """The geometry arguments of the batch-last kernels (no circular padding there)."""
    return _args(geo)[:-1]


def _batch_last_input(x: np.ndarray) -> np.ndarray:
    """``x`` (N, C, H, W) as (C, H, W, N), in the reusable ``xt`` buffer."""
    return to_batch_last(x, workspace((*x.shape[1:], x.shape[0]), x.dtype, "xt"))


def _unfold_last(x: np.ndarray, geo: ConvGeometry) -> np.ndarray:
    """The batch-last patch matrix (C·kh·kw, H_out·W_out·N) of ``x``, in the ``cols`` buffer."""
    xt = _batch_last_input(x)
    cols = workspace((x.shape[1] * _window(geo), *geo.out_size, x.shape[0]), x.dtype, "cols")
    im2col_last(xt, *_args_last(geo), cols)
    return cols.reshape(cols.shape[0], -1)


def _grad_matrix(grad_output: np.ndarray, path: str) -> np.ndarray | None:
    """``grad_output`` as the (C_out, ·) matrix the path multiplies: (C_out, N·L), or (C_out, L·N) batch-last."""
    if path == "im2col":
        return _channels_first(grad_output)
    if path == "batch last":
        n, c = grad_output.shape[:2]
        go2 = workspace((c, *grad_output.shape[2:], n), grad_output.dtype, "gout")
        return to_batch_last(grad_output, go2).reshape(c, -1)
    return None


def _channels_first(a: np.ndarray) -> np.ndarray:
    """``a`` (N, C, …) as the matrix (C, N·…): a view when N = 1, else a copy in the ``gout`` buffer."""
    n, c = a.shape[:2]
    if n == 1:
        return a.reshape(c, -1)
    out = workspace((c, n, a[0, 0].size), a.dtype, "gout")
    np.copyto(out, a.reshape(n, c, -1).transpose(1, 0, 2))
    return out.reshape(c, -1)


def _grouped_matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray, groups: int, transpose_b: bool = False) -> None:
    """``out_g = a_g @ b_g`` (or ``a_g @ b_gᵀ``) for each group ``g``.

    ``a``, ``b`` and ``out`` split along their first axis into ``groups`` equal
    row blocks; BLAS reads a transposed block in place (no copy).
    """
    ra, rb = a.shape[0] // groups, b.shape[0] // groups
    for g in range(groups):
        bg = b[g * rb:(g + 1) * rb]
        np.matmul(a[g * ra:(g + 1) * ra], bg.T if transpose_b else bg, out=out[g * ra:(g + 1) * ra])


#: From this many output pixels per sample on, the im2col products go sample by sample and tile by tile
#: (:func:`_tiled`). First measured for the forward, multiplied sample by sample into the output
#: instead of once over the batch followed by a transposed copy of the whole output (measured on one core: the stem 8×3×224×224 → 64, 12544 pixels, 31.6 → 26.9 ms; 784 and 16000
#: pixels equal; LeNet's 100 pixels lose with 64 small products).
PER_SAMPLE_MIN_PIXELS = 1024


#: Numbers of one unfolded tile of output pixels (2^17: 512 KiB in float32), so that the patch columns
#: are written to and read back from the cache, not memory (the stem's were 7 MB per sample).
TILE_NUMBERS = 1 << 17


def pixel_tiles(ho: int, wo: int, k: int) -> list[tuple[int, int, int, int]]:
    """Tiles ``(i0, rows, j0, cols)`` of the output pixels, each a contiguous range of the flattened index
    ``i·W_out + j`` whose patch columns (``k`` numbers each) hold about :data:`TILE_NUMBERS`: whole rows
    where a row fits, else parts of one row.

    >>> pixel_tiles(4, 3, 1 << 16)
    [(0, 1, 0, 2), (0, 1, 2, 1), (1, 1, 0, 2), (1, 1, 2, 1), (2, 1, 0, 2), (2, 1, 2, 1), (3, 1, 0, 2), (3, 1, 2, 1)]
    >>> pixel_tiles(4, 3, 1 << 12)
    [(0, 4, 0, 3)]
    """
    per = max(1, TILE_NUMBERS // k)
    if per >= wo:
        rows = min(ho, per // wo)
        return [(i, min(rows, ho - i), 0, wo) for i in range(0, ho, rows)]
    return [(i, 1, j, min(per, wo - j)) for i in range(ho) for j in range(0, wo, per)]


def _tiled(geo: ConvGeometry, groups: int) -> bool:
    """Whether the im2col path works sample by sample and tile by tile (:func:`pixel_tiles`): ungrouped, large
    images. (Tiling small images with a large patch matrix — the transposed ×2 decoder's 784 pixels — made
    the products too thin: 23.5 → 26 ms forward, measured.)"""
    return groups == 1 and geo.out_size[0] * geo.out_size[1] >= PER_SAMPLE_MIN_PIXELS


def _tile_walk(x: np.ndarray, k: int, geo: ConvGeometry, unfold: bool):
    """``(n, start, size, ct, args)`` for each sample ``n`` and tile: its pixels ``start … start + size − 1`` of the
    flattened output, a contiguous (k, 1, size) buffer ``ct`` (the tile's patches when ``unfold``), and the
    geometry arguments that address the tile within sample ``n``."""
    kh, kw, sh, sw, dh, dw, ph, pw, ho, wo, circular = _args(geo)
    tiles = pixel_tiles(ho, wo, k)
    cols = workspace((k * max(r * c for _, r, _, c in tiles),), x.dtype, "cols")
    for n in range(x.shape[0]):
        xs = _phased(x[n:n + 1], geo) if unfold else None
        for i0, rows, j0, cw in tiles:
            ct = cols[:k * rows * cw].reshape(k, 1, rows * cw)  # contiguous: the kernels work through ravel()
            args = (kh, kw, sh, sw, dh, dw, ph - i0 * sh, pw - j0 * sw, rows, cw, circular)
            if unfold:
                _im2col(x[n:n + 1], xs, args, ct)
            yield n, i0 * wo + j0, rows * cw, ct, args


def _forward_tiles(x: np.ndarray, w2: np.ndarray, geo: ConvGeometry, y: np.ndarray) -> None:
    """``y`` ← ``w2 @ patches``, tile by tile: each unfolded tile is multiplied while it is in cache, straight
    into its pixels of ``y``."""
    for n, start, size, ct, _ in _tile_walk(x, w2.shape[1], geo, True):
        np.matmul(w2, ct.reshape(ct.shape[0], -1), out=y[n].reshape(w2.shape[0], -1)[:, start:start + size])


def _grad_weight_tiles(grad_output: np.ndarray, x: np.ndarray, geo: ConvGeometry,
                       weight_shape: tuple[int, ...]) -> np.ndarray:
    """``∂L/∂W`` as the sum over tiles of ``patches · G_tileᵀ`` (the long pixel index inner in both operands)."""
    c_out = weight_shape[0]
    k = int(np.prod(weight_shape[1:]))
    gwt = np.zeros((k, c_out), x.dtype)
    part = np.empty_like(gwt)
    for n, start, size, ct, _ in _tile_walk(x, k, geo, True):
        np.matmul(ct.reshape(k, -1), grad_output[n].reshape(c_out, -1)[:, start:start + size].T, out=part)
        gwt += part
    return np.ascontiguousarray(gwt.T).reshape(weight_shape)


def _grad_input_tiles(grad_output: np.ndarray, weight: np.ndarray, geo: ConvGeometry, gx: np.ndarray) -> None:
    """``gx`` ← the fold of ``Wᵀ · G_tile``, tile by tile (each product folded back while in cache)."""
    c_out = weight.shape[0]
    w2t = weight.reshape(c_out, -1).T
    gx[...] = 0
    for n, start, size, ct, args in _tile_walk(gx, w2t.shape[0], geo, False):
        np.matmul(w2t, grad_output[n].reshape(c_out, -1)[:, start:start + size], out=ct.reshape(ct.shape[0], -1))
        col2im2d_add(ct, *args, gx[n:n + 1])


def _forward_into(x: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry, y: np.ndarray) -> None:
    """``y`` ← the convolution of ``x`` (no bias), on the calling thread."""
    n = x.shape[0]
    c_out = weight.shape[0]
    ho, wo = geo.out_size
    path = forward_path(geo, groups, weight.shape, n)
    if path == "rows":
        rows_forward(x, weight, geo.kernel, geo.dilation, geo.pad_lo, geo.pad_hi, geo.out_size, y)
    elif path == "pointwise":
        pointwise_forward(x, weight, y)
    elif path == "batch last":
        cols = _unfold_last(x, geo)
        y2 = workspace((c_out, ho, wo, n), x.dtype, "out")
        _grouped_matmul(weight.reshape(c_out, -1), cols, y2.reshape(c_out, -1), groups)
        from_batch_last(y2, y)
    elif path == "winograd":
        winograd_forward(x, weight, geo, y)
    elif path == "grouped":
        grouped_forward(x, weight, groups, _args(geo), y)
    elif path == "depthwise":
        call_kernel(depthwise_forward, y.size * _window(geo), x, weight, *_args(geo), y)
    else:
        w2 = weight.reshape(c_out, -1)
        cols = None if _tiled(geo, groups) else _unfold(x, geo)
        if cols is None:
            _forward_tiles(x, w2, geo, y)
        elif n == 1:
            _grouped_matmul(w2, cols, y.reshape(c_out, -1), groups)
        else:  # one product over the batch, (C_out, N·L), then back to (N, C_out, L)
            y2 = workspace((c_out, n, ho * wo), x.dtype, "out")
            _grouped_matmul(w2, cols, y2.reshape(c_out, -1), groups)
            np.copyto(y.reshape(n, c_out, -1), y2.transpose(1, 0, 2))


def _work(n: int, weight_shape: tuple[int, ...], geo: ConvGeometry) -> int:
    """The multiply-adds of the convolution (each of its three products has as many)."""
    ho, wo = geo.out_size
    return n * weight_shape[0] * ho * wo * weight_shape[1] * _window(geo)


def _chunks(n: int, weight_shape: tuple[int, ...], groups: int, geo: ConvGeometry) -> list[slice] | None:
    """The batch chunks to run concurrently (:mod:`numeric._batch_split`), or ``None``.

    Depthwise convolutions are never split: their kernels are Numba-parallel already.
    """
    if _is_depthwise(weight_shape, groups):
        return None
    return batch_chunks(n, _work(n, weight_shape, geo))


def forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, groups: int,
            geo: ConvGeometry) -> np.ndarray:
    """Convolution output (N, C_out, H_out, W_out) of 4-D contiguous ``x`` and ``weight``."""
    n = x.shape[0]
    c_out = weight.shape[0]
    ho, wo = geo.out_size
    y = np.empty((n, c_out, ho, wo), dtype=x.dtype)
    chunks = _chunks(n, weight.shape, groups, geo)
    if chunks is None:
        with serial_below(_work(n, weight.shape, geo)):
            _forward_into(x, weight, groups, geo, y)
    else:
        run_chunks(lambda s: _forward_into(x[s], weight, groups, geo, y[s]), chunks)
    if bias is not None:
        y += bias.reshape(1, c_out, 1, 1)
    return y


def _grad_input_into(grad_output: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry,
                     gx: np.ndarray, go2: np.ndarray | None = None) -> np.ndarray:
    """``gx`` (N, C_in, H, W) ← ``∂L/∂X`` from ``grad_output`` (N, C_out, H_out, W_out), on the calling thread.

    ``go2`` may pass ``grad_output`` already as the (C_out, N·L) matrix of
    :func:`_channels_first`.
    """
    n, c_out = grad_output.shape[:2]
    path = conv_path(geo, groups, weight.shape, n)
    if path == "pointwise":
        return pointwise_grad_input(grad_output, weight, gx)
    if path == "winograd":
        return winograd_grad_input(grad_output, weight, geo, gx)
    c_in = gx.shape[1]
    if path == "depthwise":
        call_kernel(depthwise_grad_input, grad_output.size * _window(geo), grad_output, weight, *_args(geo), gx)
        return gx
    if path == "grouped":
        return grouped_grad_input(grad_output, weight, groups, _args(geo), gx)
    if path == "im2col" and _tiled(geo, groups):
        _grad_input_tiles(grad_output, weight, geo, gx)
        return gx
    if go2 is None:
        go2 = _grad_matrix(grad_output, path)
    ho, wo = geo.out_size
    cols = workspace((c_in * _window(geo), n, ho * wo), grad_output.dtype, "cols")
    # cols = W^T · G, per group: (C_g·kh·kw, N·L) (or (C_g·kh·kw, L·N) batch-last)
    w2 = weight.reshape(groups, c_out // groups, -1).transpose(0, 2, 1)
    cols2 = cols.reshape(groups, -1, n * ho * wo)
    go3 = go2.reshape(groups, c_out // groups, -1)
    for g in range(groups):
        np.matmul(w2[g], go3[g], out=cols2[g])
    if path == "batch last":
        gxt = workspace((c_in, *geo.in_size, n), gx.dtype, "xt")
        col2im_last(cols.reshape(-1, ho, wo, n), *_args_last(geo), gxt)
        from_batch_last(gxt, gx)
    else:
        _col2im(cols, geo, gx)
    return gx


def _col2im(cols: np.ndarray, geo: ConvGeometry, gx: np.ndarray) -> None:
    """``gx`` ← the fold of ``cols``; horizontally strided with zero padding, into the column phases first
    (contiguous additions, see :func:`_phased`), then merged."""
    sw = geo.stride[1]
    if sw == 1 or geo.circular:
        col2im2d(cols, *_args(geo), gx)
        return
    n, c, h, w = gx.shape
    gs = workspace((n, c, h, sw, -(-w // sw)), gx.dtype, "phases")
    gs.fill(0)
    col2im2d_phases(cols, *_args(geo)[:-1], gs)
    merge_column_phases(gs, gx)


def grad_input(grad_output: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry,
               c_in: int) -> np.ndarray:
    """``∂L/∂X`` (N, C_in, H, W) from ``grad_output`` (N, C_out, H_out, W_out)."""
    n = grad_output.shape[0]
    gx = np.empty((n, c_in, *geo.in_size), dtype=grad_output.dtype)
    chunks = _chunks(n, weight.shape, groups, geo)
    if chunks is None:
        with serial_below(_work(n, weight.shape, geo)):
            _grad_input_into(grad_output, weight, groups, geo, gx)
    else:
        run_chunks(lambda s: _grad_input_into(grad_output[s], weight, groups, geo, gx[s]), chunks)
    return gx


def _grad_weight_serial(grad_output: np.ndarray, x: np.ndarray, groups: int, geo: ConvGeometry,
                        weight_shape: tuple[int, ...], go2: np.ndarray | None = None) -> np.ndarray:
    """``∂L/∂W`` of shape ``weight_shape`` (C_out, C_in/groups, kh, kw), on the calling thread.

    ``go2`` as in :func:`_grad_input_into`.
    """
    if rows_grad_weight_applies(geo, groups, weight_shape):
        return rows_grad_weight(grad_output, x, geo.kernel, geo.dilation, geo.pad_lo, geo.pad_hi, weight_shape)
    path = conv_path(geo, groups, weight_shape, x.shape[0])
    if path == "pointwise":
        return pointwise_grad_weight(grad_output, x)
    if path == "winograd":
        return winograd_grad_weight(grad_output, x, geo)
    c_out = grad_output.shape[1]
    if path == "grouped":
        return grouped_grad_weight(grad_output, x, groups, _args(geo), weight_shape)
    if path == "depthwise":
        gw = np.empty(weight_shape, dtype=x.dtype)
        call_kernel(depthwise_grad_weight, grad_output.size * _window(geo), grad_output, x, *_args(geo), gw)
        return gw
    if path == "im2col" and _tiled(geo, groups):
        return _grad_weight_tiles(grad_output, x, geo, weight_shape)
    if go2 is None:
        go2 = _grad_matrix(grad_output, path)
    cols = _unfold_last(x, geo) if path == "batch last" else _unfold(x, geo)
    # Σ_{n,l} cols[(c,p,q), (n, l)] · G[o, (n, l)]: one product over the joint index (n, l), for ∂L/∂Wᵀ per
    # group — the long index inner in both operands (BLAS's "TN" case: 25-50 % faster than G · colsᵀ on the
    # benchmark shapes, measured) — then transposed back
    gwt = np.empty((groups, cols.shape[0] // groups, c_out // groups), x.dtype)
    _grouped_matmul(cols, go2, gwt.reshape(-1, c_out // groups), groups, transpose_b=True)
    return np.ascontiguousarray(gwt.transpose(0, 2, 1)).reshape(weight_shape)


def grad_weight(grad_output: np.ndarray, x: np.ndarray, groups: int, geo: ConvGeometry,
                weight_shape: tuple[int, ...]) -> np.ndarray:
    """``∂L/∂W`` of shape ``weight_shape`` (C_out, C_in/groups, kh, kw): a sum over the batch, chunk by chunk."""
    chunks = _chunks(x.shape[0], weight_shape, groups, geo)
    if chunks is None:
        with serial_below(_work(x.shape[0], weight_shape, geo)):
            return _grad_weight_serial(grad_output, x, groups, geo, weight_shape)
    parts = run_chunks(lambda s: _grad_weight_serial(grad_output[s], x[s], groups, geo, weight_shape), chunks)
    return np.add.reduce(parts)


def grad_bias(grad_output: np.ndarray) -> np.ndarray:
    """``∂L/∂b[o] = Σ_{n,i,j} G[n,o,i,j]``."""
    return grad_output.sum(axis=(0, 2, 3))


def _backward_into(grad_output: np.ndarray, x: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry,
                   gx: np.ndarray) -> np.ndarray:
    """``gx`` ← ``∂L/∂X``; returns ``∂L/∂W``. The weight-gradient's columns buffer is then reused for the input's."""
    path = conv_path(geo, groups, weight.shape, x.shape[0])
    tiled = path == "im2col" and _tiled(geo, groups)
    go2 = None if tiled else _grad_matrix(grad_output, path)
    gw = _grad_weight_serial(grad_output, x, groups, geo, weight.shape, go2)
    _grad_input_into(grad_output, weight, groups, geo, gx, go2)
    return gw


def backward(grad_output: np.ndarray, x: np.ndarray, weight: np.ndarray, groups: int, geo: ConvGeometry):
    """``(∂L/∂X, ∂L/∂W, ∂L/∂b)``; large batches run as concurrent chunks (:mod:`numeric._batch_split`)."""
    gx = np.empty(x.shape, dtype=x.dtype)
    chunks = _chunks(x.shape[0], weight.shape, groups, geo)
    if chunks is None:
        with serial_below(_work(x.shape[0], weight.shape, geo)):
            gw = _backward_into(grad_output, x, weight, groups, geo, gx)
    else:
        parts = run_chunks(lambda s: _backward_into(grad_output[s], x[s], weight, groups, geo, gx[s]), chunks)
        gw = np.add.reduce(parts)
    return gx, gw, grad_bias(grad_output)


def _shares_unfold(geo: ConvGeometry, groups: int, weight_shape: tuple[int, ...], n: int) -> bool:
    """Whether the forward pass and the weight-gradient of this shape both multiply the whole-batch patch
    matrix of the same input (the ``im2col`` path, untiled), so that one unfolding can serve both."""
    return forward_path(geo, groups, weight_shape, n) == "im2col" and not _tiled(geo, groups)


def _forward_and_grad_weight_into(x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray, groups: int,
                                  geo: ConvGeometry, y: np.ndarray) -> np.ndarray:
    """``y`` ← the convolution of ``x`` (no bias); returns ``∂L/∂W`` for ``grad_output``, on the calling thread.

    Where :func:`_shares_unfold`, ``x`` is unfolded once and the patch matrix feeds both products:
    ``Y = W · cols`` and ``∂L/∂Wᵀ = cols · Gᵀ`` (per group).
    """
    n = x.shape[0]
    if not _shares_unfold(geo, groups, weight.shape, n):
        _forward_into(x, weight, groups, geo, y)
        return _grad_weight_serial(grad_output, x, groups, geo, weight.shape)
    c_out = weight.shape[0]
    ho, wo = geo.out_size
    cols = _unfold(x, geo)
    if n == 1:
        _grouped_matmul(weight.reshape(c_out, -1), cols, y.reshape(c_out, -1), groups)
    else:
        y2 = workspace((c_out, n, ho * wo), x.dtype, "out")
        _grouped_matmul(weight.reshape(c_out, -1), cols, y2.reshape(c_out, -1), groups)
        np.copyto(y.reshape(n, c_out, -1), y2.transpose(1, 0, 2))
    go2 = _channels_first(grad_output)
    gwt = np.empty((groups, cols.shape[0] // groups, c_out // groups), x.dtype)
    _grouped_matmul(cols, go2, gwt.reshape(-1, c_out // groups), groups, transpose_b=True)
    return np.ascontiguousarray(gwt.transpose(0, 2, 1)).reshape(weight.shape)


def forward_and_grad_weight(x: np.ndarray, weight: np.ndarray, grad_output: np.ndarray, groups: int,
                            geo: ConvGeometry) -> tuple[np.ndarray, np.ndarray]:
    """``(conv(x, W), ∂L/∂W)`` — :func:`forward` without bias and :func:`grad_weight` for ``grad_output``
    (N, C_out, H_out, W_out) — from one unfolding of ``x`` where both use it.

    The backward pass of a transposed convolution needs exactly this pair: its input-gradient is the
    convolution of its output-gradient, and its weight-gradient multiplies the same patches.
    """
    n = x.shape[0]
    y = np.empty((n, weight.shape[0], *geo.out_size), dtype=x.dtype)
    chunks = _chunks(n, weight.shape, groups, geo)
    if chunks is None:
        with serial_below(_work(n, weight.shape, geo)):
            gw = _forward_and_grad_weight_into(x, weight, grad_output, groups, geo, y)
    else:
        parts = run_chunks(lambda s: _forward_and_grad_weight_into(x[s], weight, grad_output[s], groups, geo, y[s]),
                           chunks)
        gw = np.add.reduce(parts)
    return y, gw
