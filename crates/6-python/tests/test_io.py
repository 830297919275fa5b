import numpy as np
import pytest
from conftest import DTYPES, assert_same, sample

import oxarray as ox


@pytest.mark.parametrize("name", DTYPES)
def test_npy_round_trip_with_numpy(tmp_path, name):
    n = sample(name, (3, 4))
    ox.save(tmp_path / "a", ox.asarray(n))  # ".npy" is appended, as NumPy does
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), n)
    np.save(tmp_path / "b.npy", n[::-1].T)
    assert_same(ox.load(tmp_path / "b.npy"), n[::-1].T)


def test_mmap_load_is_read_only_and_copy_on_write(tmp_path):
    n = np.arange(10.0)
    np.save(tmp_path / "m.npy", n)
    x = ox.load(str(tmp_path / "m.npy"), mmap=True)
    assert_same(x, n)
    assert not np.asarray(x).flags.writeable
    assert memoryview(x).readonly and not np.from_dlpack(x).flags.writeable
    x[0] = 100  # copies: the file is untouched
    assert float(x[0]) == 100
    np.testing.assert_array_equal(np.load(tmp_path / "m.npy"), n)
    w = ox.load(tmp_path / "m.npy", mmap="r+")
    w[1] = 7  # writable map: in place, into the file
    del w
    assert np.load(tmp_path / "m.npy")[1] == 7


def test_npz(tmp_path):
    a, b = sample("float32", (2, 3)), sample("int64", (5,))
    ox.savez(tmp_path / "z", a, b=b)
    with np.load(tmp_path / "z.npz") as z:
        np.testing.assert_array_equal(z["arr_0"], a)
        np.testing.assert_array_equal(z["b"], b)
    z = ox.load(tmp_path / "z.npz")
    assert z.files == ["arr_0", "b"] and len(z) == 2 and "b" in z and list(z) == ["arr_0", "b"]
    assert_same(z["arr_0"], a)
    assert_same(z["b"], b)
    with pytest.raises(KeyError):
        z["missing"]
    with ox.load(tmp_path / "z.npz", mmap=True) as m:
        x = m["b"]
        assert not np.asarray(x).flags.writeable
    assert_same(x, b)  # mapped members outlive the closed archive
    np.savez_compressed(tmp_path / "c.npz", q=a)
    assert_same(ox.load(tmp_path / "c.npz")["q"], a)
    ox.savez_compressed(tmp_path / "d.npz", q=a)
    np.testing.assert_array_equal(np.load(tmp_path / "d.npz")["q"], a)


def test_safetensors(tmp_path):
    t = {"w": ox.asarray(sample("float32", (3, 2))), "b": ox.zeros(2, dtype=ox.bfloat16)}
    ox.save_safetensors(t, tmp_path / "m.safetensors", metadata={"k": "v"})
    back, meta = ox.load_safetensors(tmp_path / "m.safetensors", metadata=True)
    assert meta == {"k": "v"} and set(back) == {"w", "b"}
    assert back["w"].tolist() == t["w"].tolist() and back["b"].dtype == ox.bfloat16
    assert not np.asarray(back["w"]).flags.writeable


def test_io_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        ox.load(tmp_path / "nope.npy")
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY garbage")
    with pytest.raises(ValueError, match="npy"):
        ox.load(tmp_path / "bad.npy")
    with pytest.raises(OSError):
        ox.save(tmp_path / "no_dir" / "x.npy", ox.zeros(2))
