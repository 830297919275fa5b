"""Pickling: protocol 5 out-of-band buffers without copying, in-band bytes before,
copy/deepcopy, and a multiprocessing round trip."""

import copy
import multiprocessing
import operator
import pickle

import numpy as np
import pytest
from conftest import DTYPES, assert_same, data_ptr, sample

import oxarray as ox

SHAPES = [(3, 4), (), (0,), (2, 0, 3), (7,)]


def as_numpy_bytes(buf):
    return np.frombuffer(buf.raw(), dtype=np.uint8)


@pytest.mark.parametrize("shape", SHAPES)
def test_protocol5_out_of_band_every_dtype(dtype, shape):
    n = sample(dtype, shape) if shape != () else np.array(sample(dtype, (1,))[0])
    x = ox.asarray(n)
    bufs = []
    data = pickle.dumps(x, protocol=5, buffer_callback=bufs.append)
    assert len(bufs) == 1 and isinstance(bufs[0], pickle.PickleBuffer)
    # Out of band: the stream holds no element bytes, the buffer views x's memory.
    assert len(data) < 200
    raw = bufs[0].raw()
    assert raw.nbytes == x.nbytes and raw.readonly
    if x.size:
        assert np.frombuffer(raw, dtype=np.uint8).__array_interface__["data"][0] == data_ptr(x)
    y = pickle.loads(data, buffers=bufs)
    assert_same(y, n)
    if x.size:
        assert data_ptr(y) == data_ptr(x)  # loads viewed the same memory again
        # Read-only shared memory: a write through y copies first; x is untouched.
        y[(0,) * y.ndim] = n.reshape(-1)[-1].item()
        assert_same(x, n)


def test_bfloat16_round_trip():
    x = ox.asarray([1.5, -2.0, 3.25], dtype=ox.bfloat16)
    for protocol in [2, 4, 5]:
        y = pickle.loads(pickle.dumps(x, protocol=protocol))
        assert y.dtype == ox.bfloat16 and y.tolist() == x.tolist()
    bufs = []
    y = pickle.loads(pickle.dumps(x, protocol=5, buffer_callback=bufs.append), buffers=bufs)
    assert y.dtype == ox.bfloat16 and y.tolist() == [1.5, -2.0, 3.25]


def test_non_contiguous_becomes_contiguous():
    n = sample("float64", (6, 8))
    x = ox.asarray(n)[::2, ::-3]
    bufs = []
    y = pickle.loads(pickle.dumps(x, protocol=5, buffer_callback=bufs.append), buffers=bufs)
    assert_same(y, n[::2, ::-3])
    assert y.strides == np.ascontiguousarray(n[::2, ::-3]).strides
    t = ox.asarray(n).T
    assert_same(pickle.loads(pickle.dumps(t, protocol=5)), n.T)


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_in_band(protocol):
    n = sample("complex128", (2, 3))
    x = ox.asarray(n)
    data = pickle.dumps(x, protocol=protocol)
    assert len(data) > n.nbytes  # the bytes travel in the stream
    assert_same(pickle.loads(data), n)


def test_in_band_buffer_is_copied_at_loads():
    # Without buffer_callback, protocol 5 keeps the PickleBuffer in band.
    x = ox.asarray(np.arange(5, dtype=np.int16))
    y = pickle.loads(pickle.dumps(x, protocol=5))
    assert_same(y, np.arange(5, dtype=np.int16))
    assert data_ptr(y) != data_ptr(x)


def test_misaligned_buffer_is_copied():
    n = np.arange(4, dtype=np.float64)
    raw = bytearray(b"\0" + n.tobytes())
    y = ox._rebuild(memoryview(raw)[1:], "float64", (4,))
    assert_same(y, n)


def test_rebuild_errors():
    with pytest.raises(ValueError, match="holds 3 bytes"):
        ox._rebuild(b"abc", "float32", (1,))
    with pytest.raises(ValueError, match="bool"):
        ox._rebuild(b"\x02", "bool", (1,))
    with pytest.raises(TypeError):
        ox._rebuild(b"abcd", "not-a-dtype", (1,))


def test_copy_and_deepcopy():
    n = sample("float32", (3, 3))
    x = ox.asarray(n)
    for y in [copy.copy(x), copy.deepcopy(x), copy.deepcopy([x, x])[0]]:
        assert_same(y, n)
        y[0, 0] = 99
        assert_same(x, n)  # value semantics


def test_multiprocessing_round_trip():
    n = sample("float64", (100, 3))
    x = ox.asarray(n)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        y = pool.apply(operator.mul, (x, 2))
        views = pool.map(operator.neg, [x[::2], x.T])
    assert_same(y, n * 2)
    assert_same(views[0], -n[::2])
    assert_same(views[1], -n.T)


def test_all_dtypes_listed():
    assert set(DTYPES) | {"bfloat16"} == {d for d in dir(ox) if isinstance(getattr(ox, d), ox.dtype)}
