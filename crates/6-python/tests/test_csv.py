"""ox.read_csv / ox.write_csv against pandas and polars reading the same files."""

import os

import numpy as np
import pandas as pd
import pytest

import oxarray as ox

pl = pytest.importorskip("polars")


def generated_frame(n=500, seed=0):
    """A pandas frame with float, int, categorical columns and missing values."""
    rng = np.random.default_rng(seed)
    f = rng.standard_normal(n) * 1e3
    f[rng.random(n) < 0.1] = np.nan
    g = rng.standard_normal(n) * 1e-4
    g[rng.random(n) < 0.05] = np.nan
    cats = np.array(["Biscoe", "Dream", "Torgersen", "with, comma", 'quote"d'], dtype=object)
    c = cats[rng.integers(0, len(cats), n)]
    c[rng.random(n) < 0.1] = None
    return pd.DataFrame({"f": f, "i": rng.integers(-1000, 1000, n), "c": c, "g": g})


@pytest.fixture
def csv_file(tmp_path):
    df = generated_frame()
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    return path


def test_table_matches_pandas(csv_file):
    expected = pd.read_csv(csv_file)
    t = ox.read_csv(csv_file)
    assert t.names == list(expected.columns) == ["f", "i", "c", "g"]
    assert t.shape == expected.shape and len(t) == 4 and t.n_rows == len(expected)
    assert t.numeric_names == ["f", "i", "g"] and t.categorical_names == ["c"]
    for name in ["f", "i", "g"]:
        col = t[name]
        assert isinstance(col, ox.Array) and col.dtype == ox.float64
        np.testing.assert_array_equal(np.asarray(col), expected[name].to_numpy(dtype=np.float64))
    # Missing positions: the mask is exactly pandas' isna.
    np.testing.assert_array_equal(np.asarray(t.mask("f")), expected["f"].isna().to_numpy())
    assert t.mask("i") is None
    # Categories: first-seen order; sorted() matches pandas.Categorical.
    c = t["c"]
    first_seen = list(dict.fromkeys(v for v in expected["c"] if isinstance(v, str)))
    assert c.categories == first_seen
    assert c.tolist() == [v if isinstance(v, str) else None for v in expected["c"]]
    pc = pd.Categorical(expected["c"])
    s = c.sorted()
    assert s.categories == list(pc.categories)
    np.testing.assert_array_equal(np.asarray(s.codes), pc.codes.astype(np.int32))
    assert s.codes.dtype == ox.int32 and len(s) == len(expected)


def test_array_matches_pandas_and_polars(csv_file):
    for dtype in ["float32", "float64"]:
        x = ox.read_csv(csv_file, columns=["f", "g", "i"], dtype=dtype)
        assert x.dtype == dtype and x.shape == (500, 3)
        pd_x = pd.read_csv(csv_file, usecols=["f", "g", "i"], dtype=dtype)[["f", "g", "i"]].to_numpy()
        np.testing.assert_array_equal(np.asarray(x), pd_x)
        pl_x = pl.read_csv(csv_file).select([pl.col(n).cast(getattr(pl, dtype.capitalize())) for n in "fgi"])
        np.testing.assert_array_equal(np.asarray(x), pl_x.to_numpy().astype(dtype))
    # Columns by position, and the whole-table route give the same values.
    x = ox.read_csv(csv_file, columns=[0, 3], dtype=ox.float64)
    t = ox.read_csv(csv_file)
    np.testing.assert_array_equal(np.asarray(x), np.asarray(t.to_array(columns=["f", "g"])))
    # Integer dtype through a checked cast.
    i = ox.read_csv(csv_file, columns="i", dtype="int64")
    np.testing.assert_array_equal(np.asarray(i)[:, 0], pd.read_csv(csv_file)["i"].to_numpy())


def test_dialects_match_pandas(tmp_path):
    text = 'x;label;y\n1.5;"a;b";-2\n  3 ;"multi\nline";\n-;c;1e3\n'
    path = tmp_path / "semi.csv"
    path.write_text(text)
    expected = pd.read_csv(path, sep=";", na_values=["-"])
    for kw in [{}, {"delimiter": ";"}]:
        t = ox.read_csv(path, missing="-", **kw)
        np.testing.assert_array_equal(np.asarray(t["x"]), expected["x"].to_numpy())
        np.testing.assert_array_equal(np.asarray(t["y"]), expected["y"].to_numpy())
        assert t["label"].tolist() == list(expected["label"])
    # Without the marker, "-" makes x categorical; numeric= makes it an error.
    assert not ox.read_csv(path).is_numeric("x")
    with pytest.raises(ValueError, match=r"line 5, column 1"):  # physical lines: the quoted field spans two
        ox.read_csv(path, numeric=["x"])
    # Forcing a numeric-looking column to be categorical.
    t = ox.read_csv(path, missing="-", categorical=["y"])
    assert t["y"].categories == ["-2", "1e3"]
    # No header: columns are named by position, as pandas' header=None.
    h = tmp_path / "nohead.csv"
    h.write_text("1,2\n3,4\n")
    t = ox.read_csv(h, header=False)
    assert t.names == ["0", "1"]
    np.testing.assert_array_equal(np.asarray(t.to_array()), pd.read_csv(h, header=None).to_numpy(np.float64))


def test_empty_and_header_only(tmp_path):
    p = tmp_path / "head.csv"
    p.write_text("a,b\n")
    t = ox.read_csv(p)
    assert t.shape == (0, 2) and t["a"].shape == (0,)
    assert ox.read_csv(p, dtype="float32").shape == (0, 2)
    e = tmp_path / "empty.csv"
    e.write_text("")
    with pytest.raises(ValueError, match="empty"):
        ox.read_csv(e)


def test_errors_name_file_line_and_column(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text("a,b\n1,2\n3\n")
    with pytest.raises(ValueError, match=r"ragged\.csv.*line 3, column 2.*expected 2 fields"):
        ox.read_csv(p)
    q = tmp_path / "text.csv"
    q.write_text("a,b\n1,2\n3,x\n")
    with pytest.raises(ValueError, match=r"text\.csv.*line 3, column 2.*\"x\" is not a number"):
        ox.read_csv(q, dtype="float64")
    with pytest.raises(ValueError, match=r"unknown column \"zz\"; the columns are: \"a\", \"b\""):
        ox.read_csv(q, columns=["zz"])
    gap = tmp_path / "gap.csv"
    gap.write_text("a,b\n1,2\n,4\n")
    with pytest.raises(ValueError, match="NaN"):  # a missing value has no int64
        ox.read_csv(gap, dtype="int64")
    with pytest.raises(FileNotFoundError):
        ox.read_csv(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="delimiter"):
        ox.read_csv(q, delimiter=";;")
    with pytest.raises(TypeError, match="column"):
        ox.read_csv(q, columns=[1.5])
    t = ox.read_csv(q)
    with pytest.raises(KeyError, match="no column"):
        t["zz"]
    with pytest.raises(TypeError, match="categorical"):
        t.mask("b")
    with pytest.raises(ValueError, match="categorical"):
        t.to_array()


def test_write_csv_round_trips(tmp_path, csv_file):
    t = ox.read_csv(csv_file)
    out = tmp_path / "out.csv"
    ox.write_csv(out, t)
    back = pd.read_csv(out)
    expected = pd.read_csv(csv_file)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    # A 2-D array with a header; NaN written as the missing text.
    x = np.array([[0.1, np.nan], [1e-7, 3.0]])
    ox.write_csv(tmp_path / "x.csv", ox.asarray(x), header=["p", "q"], missing="NA")
    assert (tmp_path / "x.csv").read_text() == "p,q\n0.1,NA\n1e-7,3.0\n"
    np.testing.assert_array_equal(pd.read_csv(tmp_path / "x.csv").to_numpy(), x)
    # A dict of columns of different dtypes, semicolon-separated.
    ox.write_csv(tmp_path / "d.csv", {"n": ox.asarray([1, 2]), "b": np.array([True, False])}, delimiter=";")
    assert (tmp_path / "d.csv").read_text() == "n;b\n1;true\n2;false\n"
    # Atomic: only the finished files are in the folder.
    assert sorted(os.listdir(tmp_path)) == ["d.csv", "data.csv", "out.csv", "x.csv"]
    with pytest.raises(ValueError, match="header"):
        ox.write_csv(tmp_path / "bad.csv", t, header=["a"])
    with pytest.raises(ValueError):
        ox.write_csv(tmp_path / "bad.csv", ox.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="rows|values"):
        ox.write_csv(tmp_path / "bad.csv", {"a": [1, 2], "b": [1]})
    assert not (tmp_path / "bad.csv").exists()


def test_categorical_constructor():
    c = ox.Categorical(["a", "b"], [0, -1, 1])
    assert c.tolist() == ["a", None, "b"] and c.codes.dtype == ox.int32
    with pytest.raises(ValueError, match="code"):
        ox.Categorical(["a"], [0, 3])


def test_concurrent_reads(csv_file):
    # The GIL is released while parsing: reads on several threads at once
    # all give the right table.
    import threading

    expected = np.asarray(ox.read_csv(csv_file, columns=["f", "g"], dtype="float64"))
    out = []
    threads = [threading.Thread(target=lambda: out.append(np.asarray(ox.read_csv(csv_file, columns=["f", "g"],
                                                                                   dtype="float64"))))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4
    for o in out:
        np.testing.assert_array_equal(o, expected)
