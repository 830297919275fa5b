"""ox.load / ox.savez / ox.savez_compressed: every dtype against NumPy, the lazy
mapping, memory-mapped members, edge cases and errors."""

import collections.abc
import threading

import numpy as np
import pytest
from conftest import DTYPES, assert_same, sample

import oxarray as ox


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_every_dtype_both_ways(tmp_path, compressed):
    arrays = {f"a_{d}": sample(d, (3, 2)) for d in DTYPES}
    arrays["zero_size"] = np.zeros((0, 3), np.float32)
    arrays["scalar"] = np.array(7, np.int16)
    arrays["fortran"] = np.asfortranarray(sample("float64", (4, 5)))
    save_ox = ox.savez_compressed if compressed else ox.savez
    save_ox(tmp_path / "ox", **{k: ox.asarray(v) for k, v in arrays.items()})
    with np.load(tmp_path / "ox.npz") as z:
        for k, v in arrays.items():
            np.testing.assert_array_equal(z[k], v)
            assert z[k].dtype == v.dtype
    (np.savez_compressed if compressed else np.savez)(tmp_path / "np.npz", **arrays)
    for mmap in [False, True]:
        z = ox.load(tmp_path / "np.npz", mmap=mmap)
        assert isinstance(z, collections.abc.Mapping)
        assert list(z.keys()) == list(arrays)
        for k, v in arrays.items():
            assert_same(z[k], v)
        assert_same(z[f"{'a_int8'}.npy"], arrays["a_int8"])
        assert [a.shape for a in z.values()] == [v.shape for v in arrays.values()]
        assert z.get("nope") is None and z.get("nope", 3) == 3
        assert_same(z.get("scalar"), arrays["scalar"])
        z.close()


def test_npz_mmap_members_are_read_only_views_of_the_file(tmp_path):
    ox.savez(tmp_path / "m.npz", x=ox.arange(1000.0))  # ox.savez aligns member data
    with ox.load(tmp_path / "m.npz", mmap=True) as z:
        x = z["x"]
    assert not np.asarray(x).flags.writeable
    x[0] = -1  # copy-on-write: the archive is untouched
    assert float(x[0]) == -1
    assert np.load(tmp_path / "m.npz")["x"][0] == 0
    # NumPy's archives may hold unaligned data: those members are read instead.
    np.savez(tmp_path / "n.npz", x=np.arange(1000.0))
    with ox.load(tmp_path / "n.npz", mmap=True) as z:
        y = z["x"]
    assert np.asarray(y).flags.writeable
    assert_same(y, np.arange(1000.0))


def test_closed_archive_and_errors(tmp_path):
    ox.savez(tmp_path / "c.npz", a=ox.zeros(3))
    z = ox.load(tmp_path / "c.npz")
    z.close()
    with pytest.raises(ValueError, match="closed"):
        z["a"]
    with pytest.raises(ValueError, match="un-named"):
        ox.savez(tmp_path / "d.npz", ox.zeros(1), arr_0=ox.zeros(1))
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError):
        ox.load(tmp_path / "bad.npz")
    (tmp_path / "text.npy").write_text("hello")
    with pytest.raises(ValueError):
        ox.load(tmp_path / "text.npy")
    with pytest.raises(ValueError, match="mmap"):
        ox.load(tmp_path / "c.npz", mmap="w")


def test_load_releases_the_gil(tmp_path):
    # Several threads load at once; each result is right (the GIL is released
    # inside, so this also exercises concurrent reads).
    n = sample("float32", (256, 256))
    ox.save(tmp_path / "t.npy", ox.asarray(n))
    results = []

    def work():
        results.append(np.asarray(ox.load(tmp_path / "t.npy")).copy())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for r in results:
        np.testing.assert_array_equal(r, n)
