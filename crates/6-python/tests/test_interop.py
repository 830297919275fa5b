"""Zero-copy exchange with NumPy, JAX and PyTorch, both ways: the memory is
shared (pointer equality, np.shares_memory), stays alive whatever is deleted
first, and read-only memory stays read-only."""

import gc
import weakref

import numpy as np
import pytest
from conftest import DTYPES, assert_same, data_ptr, sample

import oxarray as ox

# --- NumPy → oxarray -------------------------------------------------------


@pytest.mark.parametrize("name", DTYPES)
def test_asarray_from_numpy_is_zero_copy(name):
    n = sample(name, (3, 4))
    x = ox.asarray(n)
    assert_same(x, n)
    assert ox.from_dlpack(n).dtype == name
    p = np.asarray(x)
    assert np.shares_memory(p, n)
    assert data_ptr(p) == data_ptr(n)


@pytest.mark.parametrize(
    "view", [lambda a: a[::-1], lambda a: a[:, 1::2], lambda a: a.T, lambda a: a[1:, ::-2], lambda a: a[:0]]
)
def test_asarray_keeps_numpy_strides(view):
    n = view(sample("float32", (4, 6)))
    for x in (ox.asarray(n), ox.from_dlpack(n)):
        assert_same(x, n)
        if n.size:
            assert np.shares_memory(np.asarray(x), n)


def test_unaligned_or_odd_strides_are_copied_unless_copy_false():
    raw = np.zeros(4 * 5 + 1, dtype=np.uint8)
    odd = raw[1:].view(np.float32)  # misaligned float32
    odd[:] = np.arange(5)
    x = ox.asarray(odd)
    assert_same(x, odd)
    assert not np.shares_memory(np.asarray(x), odd)
    with pytest.raises(ValueError, match="copy"):
        ox.asarray(odd, copy=False)
    rec = np.zeros(3, dtype=[("a", "<i4"), ("b", "<i2")])["a"]  # stride 6, not a multiple of 4
    assert_same(ox.asarray(rec), rec)


def test_copy_argument():
    n = np.arange(6.0)
    assert not np.shares_memory(np.asarray(ox.asarray(n, copy=True)), n)
    assert np.shares_memory(np.asarray(ox.asarray(n, copy=False)), n)
    assert not np.shares_memory(np.asarray(ox.from_dlpack(n, copy=True)), n)
    with pytest.raises(ValueError):
        ox.asarray([1, 2], copy=False)
    with pytest.raises(ValueError):
        ox.asarray(n, dtype=ox.float32, copy=False)


def test_asarray_dtype_only_casts_safely():
    n = np.arange(3, dtype=np.int16)
    assert_same(ox.asarray(n, dtype=ox.float64), n.astype(np.float64))
    with pytest.raises(TypeError):
        ox.asarray(np.arange(3.0), dtype=ox.float32)


def test_writes_reach_writable_numpy_memory():
    n = np.zeros(4)
    x = ox.asarray(n)
    x[1] = 5  # x is the only oxarray handle: written in place
    assert n[1] == 5
    n[2] = 7
    assert x.tolist() == [0, 5, 7, 0]


def test_read_only_numpy_memory_stays_read_only():
    n = np.arange(4.0)
    n.flags.writeable = False
    x = ox.asarray(n)
    assert data_ptr(np.asarray(x)) == data_ptr(n)
    assert not np.asarray(x).flags.writeable
    x[0] = 100  # copy-on-write: the NumPy array is untouched
    assert n[0] == 0 and x.tolist()[0] == 100


def test_buffer_protocol_sources():
    b = bytearray(b"\x01\x02\x03")
    assert_same(ox.asarray(b), np.asarray([1, 2, 3], dtype=np.uint8))
    assert_same(ox.asarray(memoryview(b"abc")), np.frombuffer(b"abc", dtype=np.uint8))
    import array

    assert_same(ox.asarray(array.array("d", [1.5, 2.5])), np.asarray([1.5, 2.5]))


def test_array_interface_source():
    n = np.arange(6, dtype=np.int32).reshape(2, 3)[:, ::-1]

    class Holder:
        __array_interface__ = n.__array_interface__

    x = ox.asarray(Holder())
    assert_same(x, n)
    assert np.shares_memory(np.asarray(x), n)


# --- oxarray → NumPy -------------------------------------------------------


@pytest.mark.parametrize("name", DTYPES)
def test_numpy_views_oxarray_memory(name):
    x = ox.asarray(sample(name, (2, 3)), copy=True)
    for consumer in (np.asarray, np.from_dlpack, lambda a: np.asarray(memoryview(a))):
        n = consumer(x)
        assert n.dtype == name
        assert_same(x, n)
    assert data_ptr(np.asarray(x)) == data_ptr(np.from_dlpack(x))


def test_memoryview_formats():
    for name, code in [("float32", "f"), ("int64", "q"), ("bool", "?"), ("complex128", "Zd"), ("float16", "e")]:
        m = memoryview(ox.zeros((2, 2), dtype=name))
        assert m.format == code and m.shape == (2, 2)
    with pytest.raises(BufferError, match="bfloat16"):
        memoryview(ox.zeros(2, dtype=ox.bfloat16))
    with pytest.raises(TypeError, match="bfloat16"):
        np.asarray(ox.zeros(2, dtype=ox.bfloat16))


def test_views_export_their_strides():
    x = ox.arange(24, dtype=ox.float32).reshape(4, 6)
    n = np.arange(24, dtype=np.float32).reshape(4, 6)
    for key in [(slice(None, None, -1),), (slice(None), slice(None, None, 2)), (slice(1, 3), -1)]:
        assert_same(x[key], n[key])
        np.testing.assert_array_equal(np.from_dlpack(x[key]), n[key])
    t = x.T
    assert np.asarray(t).strides == n.T.strides
    assert np.shares_memory(np.asarray(t), np.asarray(x))


def test_writable_export_only_for_sole_holder():
    x = ox.zeros(3)
    n = np.asarray(x)  # x held its memory alone: a writable, shared view
    assert n.flags.writeable and data_ptr(n) == data_ptr(x)
    n[0] = 1
    assert x.tolist() == [1, 0, 0]  # the consumer's write shows in x
    x[1] = 2  # x copies first (the export is another holder) ...
    assert n.tolist() == [1, 0, 0]  # ... so NumPy does not see it
    y = x[:]
    m = np.asarray(x)  # x now shares with y: the export is read-only
    assert not m.flags.writeable and np.shares_memory(m, np.asarray(y))
    with pytest.raises(ValueError):
        m[0] = 5
    assert y.tolist() == [1, 2, 0]


def test_writable_buffer_request_copies_on_write():
    import io

    x = ox.zeros(4, dtype=ox.uint8)
    y = x[:]  # shares x's memory
    assert io.BytesIO(b"\x01\x02\x03\x04").readinto(x) == 4  # asks for a writable buffer
    assert x.tolist() == [1, 2, 3, 4] and y.tolist() == [0, 0, 0, 0]


def test_array_protocol():
    x = ox.asarray([1, 2, 3], dtype=ox.int16)
    assert np.shares_memory(x.__array__(), np.asarray(x))
    assert x.__array__(np.float32).dtype == np.float32
    assert not np.shares_memory(x.__array__(copy=True), np.asarray(x))
    with pytest.raises(ValueError):
        x.__array__(np.float64, copy=False)


def test_dlpack_export_flags_and_versions():
    x = ox.arange(4.0)
    cap_v = x.__dlpack__(max_version=(1, 0))
    cap_l = x.__dlpack__()
    assert "dltensor_versioned" in repr(cap_v) and '"dltensor"' in repr(cap_l)
    assert x.__dlpack_device__() == (1, 0)
    del cap_v, cap_l  # unconsumed capsules free their tensors
    shared = x[:]
    ro = np.from_dlpack(x)  # x shares its memory: exported READ_ONLY
    assert not ro.flags.writeable
    assert np.shares_memory(ro, np.asarray(shared))
    with pytest.raises(BufferError):
        x.__dlpack__(dl_device=(2, 0))
    c = np.from_dlpack(x, copy=True)
    assert not np.shares_memory(c, ro)


# --- lifetimes ---------------------------------------------------------------


def test_numpy_producer_deleted_first():
    n = np.arange(1000.0)
    ref = weakref.ref(n) if hasattr(n, "__weakref__") else None
    x = ox.asarray(n)
    d = ox.from_dlpack(n)
    del n
    gc.collect()
    assert x.tolist()[:3] == [0.0, 1.0, 2.0] and float(d[999]) == 999.0
    del x
    gc.collect()
    assert float(d[5]) == 5.0
    del d
    gc.collect()
    if ref is not None:
        assert ref() is None  # the last holder released the NumPy array


def test_oxarray_producer_deleted_first():
    x = ox.arange(1000.0)
    n1, n2, n3 = np.asarray(x), np.from_dlpack(x), np.asarray(memoryview(x))
    del x
    gc.collect()
    assert n1[10] == 10 and n2[999] == 999 and n3[1] == 1
    x = ox.arange(10.0)
    cap = x.__dlpack__(max_version=(1, 0))
    del x
    gc.collect()
    assert np.from_dlpack(type("P", (), {"__dlpack__": lambda s, **k: cap, "__dlpack_device__": lambda s: (1, 0)})())[3] == 3


def test_dlpack_deleter_runs_once_when_last_handle_drops():
    class Producer:
        def __init__(self):
            self.n = np.arange(8.0)
            self.freed = False

        def __dlpack__(self, **kwargs):
            return self.n.__dlpack__(**kwargs)

        def __dlpack_device__(self):
            return (1, 0)

    p = Producer()
    watch = weakref.finalize(p.n, lambda: None)
    a = ox.from_dlpack(p)
    b = a[2:]
    c = b.T
    del p
    gc.collect()
    assert watch.alive  # the NumPy array is still held by the capsule's manager
    del a, b
    gc.collect()
    assert watch.alive and float(c[0]) == 2.0
    del c
    gc.collect()
    assert not watch.alive  # deleter ran: the producer's array is freed


def test_dlpack_from_other_devices_is_refused():
    class Gpu:
        def __dlpack_device__(self):
            return (2, 0)

        def __dlpack__(self, **kwargs):
            raise AssertionError("must not be called")

    with pytest.raises(BufferError, match="device type 2"):
        ox.from_dlpack(Gpu())


def test_consumed_capsule_cannot_be_imported_twice():
    cap = np.arange(3.0).__dlpack__(max_version=(1, 0))
    holder = type("H", (), {"__dlpack__": lambda s, **k: cap})()
    ox.from_dlpack(holder)
    with pytest.raises(ValueError, match="unconsumed"):
        ox.from_dlpack(holder)


# --- JAX and PyTorch ---------------------------------------------------------


def test_jax_both_ways():
    jax = pytest.importorskip("jax", reason="jax is not installed")
    jnp = pytest.importorskip("jax.numpy")
    x = ox.arange(1024, dtype=ox.float32)  # 64-byte aligned: JAX imports without copying
    j = jnp.from_dlpack(x)
    np.testing.assert_array_equal(np.asarray(j), np.arange(1024, dtype=np.float32))
    assert j.unsafe_buffer_pointer() == data_ptr(np.asarray(x))
    src = jnp.arange(12, dtype=jnp.float32).reshape(3, 4)
    back = ox.from_dlpack(src)
    assert_same(back, np.asarray(src))
    assert data_ptr(np.asarray(back)) == src.unsafe_buffer_pointer()
    assert not np.asarray(back).flags.writeable  # JAX arrays are immutable (legacy capsule)
    del src
    gc.collect()
    assert float(back[2, 3]) == 11.0
    assert jax.dlpack.from_dlpack(ox.ones(3)).shape == (3,)


def test_torch_both_ways():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (not in requirements-test.txt: too large)")
    x = ox.arange(6, dtype=ox.float32)
    t = torch.from_dlpack(x)
    assert t.data_ptr() == data_ptr(np.asarray(x))
    t[0] = 42
    assert float(x[0]) == 42
    s = torch.arange(6, dtype=torch.int64).reshape(2, 3)
    y = ox.from_dlpack(s)
    assert data_ptr(np.asarray(y)) == s.data_ptr()
    assert ox.asarray(s).tolist() == s.tolist()
    assert ox.from_dlpack(torch.ones(2, dtype=torch.bfloat16)).dtype == ox.bfloat16
