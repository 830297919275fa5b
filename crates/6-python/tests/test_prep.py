"""oxarray.prep against scikit-learn on generated data: values, learned
attributes, dtypes, NaN handling, unknown categories, persistence."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn import compose, impute, model_selection, pipeline, preprocessing

import oxarray as ox
from oxarray import prep


def data(dtype="float64", n=200, d=4, nan=0.1, seed=0):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((n, d)) * [1, 10, 100, 0.1][:d] + [0, 5, -50, 1][:d]).astype(dtype)
    if nan:
        x[rng.random((n, d)) < nan] = np.nan
    return x


def close(a, b, dtype=None, rtol=1e-6, atol=1e-9):
    a = np.asarray(a)
    b = np.asarray(b)
    if dtype is not None:
        assert a.dtype == dtype
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


SCALERS = [
    (prep.StandardScaler, preprocessing.StandardScaler, {}, ["mean_", "var_", "scale_", "n_samples_seen_"]),
    (prep.StandardScaler, preprocessing.StandardScaler, {"with_mean": False}, ["var_", "scale_"]),
    (prep.MinMaxScaler, preprocessing.MinMaxScaler, {}, ["data_min_", "data_max_", "data_range_", "scale_", "min_"]),
    (prep.MinMaxScaler, preprocessing.MinMaxScaler, {"feature_range": (-2, 3), "clip": True}, ["scale_", "min_"]),
    (prep.MaxAbsScaler, preprocessing.MaxAbsScaler, {}, ["max_abs_", "scale_", "n_samples_seen_"]),
    (prep.RobustScaler, preprocessing.RobustScaler, {}, ["center_", "scale_"]),
    (prep.RobustScaler, preprocessing.RobustScaler, {"quantile_range": (10.0, 90.0), "with_centering": False},
     ["scale_"]),
]


@pytest.mark.parametrize("ours, theirs, kw, attrs", SCALERS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_scalers_match_sklearn(ours, theirs, kw, attrs, dtype):
    x = data(dtype)
    tol = {"rtol": 1e-5 if dtype == "float32" else 1e-10, "atol": 1e-6 if dtype == "float32" else 1e-12}
    a, b = ours(**kw), theirs(**kw)
    y = a.fit_transform(x)
    close(y, b.fit_transform(x), dtype=dtype, **tol)  # NaN kept where it was
    for attr in attrs:
        theirs_attr = getattr(b, attr)
        close(np.asarray(getattr(a, attr), dtype=np.float64), np.asarray(theirs_attr, dtype=np.float64), **tol)
    x2 = data(dtype, seed=1)
    close(a.transform(x2), b.transform(x2), dtype=dtype, **tol)
    close(a.inverse_transform(y), x, dtype=dtype, **tol)
    assert a.n_features_in_ == 4
    assert a.get_feature_names_out() == list(b.get_feature_names_out())
    assert a.get_feature_names_out(["a", "b", "c", "d"]) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("cls", [prep.StandardScaler, prep.MinMaxScaler, prep.MaxAbsScaler])
def test_partial_fit_matches_sklearn(cls):
    theirs = getattr(preprocessing, cls.__name__)()
    ours = cls()
    for seed in range(3):
        chunk = data(seed=seed, n=50)
        assert ours.partial_fit(chunk) is ours
        theirs.partial_fit(chunk)
    x = data(seed=9)
    close(ours.transform(x), theirs.transform(x), rtol=1e-10)


def test_integers_become_float64_and_float32_stays():
    xi = np.arange(12).reshape(4, 3)
    y = prep.StandardScaler().fit_transform(xi)
    assert y.dtype == ox.float64
    close(y, preprocessing.StandardScaler().fit_transform(xi))
    assert prep.MinMaxScaler().fit_transform(ox.asarray(xi).astype(ox.float32)).dtype == ox.float32


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
def test_normalizer(norm):
    x = data(nan=0)
    x[3] = 0
    close(prep.Normalizer(norm).fit_transform(x), preprocessing.Normalizer(norm=norm).fit_transform(x), rtol=1e-12)
    with pytest.raises(ValueError):
        prep.Normalizer().fit_transform(data(nan=0.2))


@pytest.mark.parametrize("strategy, kw", [("mean", {}), ("median", {}), ("most_frequent", {}),
                                          ("constant", {"fill_value": -7.5})])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_simple_imputer(strategy, kw, dtype):
    x = np.round(data(dtype, nan=0.2), 1)
    x[:, 2] = np.nan  # all-NaN column: dropped, as scikit-learn does
    x[5, 0] = np.nan
    a = prep.SimpleImputer(strategy=strategy, **kw)
    b = impute.SimpleImputer(strategy=strategy, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns about the all-NaN column
        expected = b.fit_transform(x)
    y = a.fit_transform(x)
    close(y, expected, dtype=dtype, rtol=1e-5 if dtype == "float32" else 1e-12)
    close(np.asarray(a.statistics_, dtype=np.float64), b.statistics_.astype(np.float64), rtol=1e-5)


def test_simple_imputer_indicator_and_keep_empty():
    x = data(nan=0.2)
    x[:, 1] = np.nan
    a = prep.SimpleImputer(add_indicator=True, keep_empty_features=True)
    b = impute.SimpleImputer(add_indicator=True, keep_empty_features=True)
    close(a.fit_transform(x), b.fit_transform(x), rtol=1e-12)
    assert a.indicator_features_ == list(b.indicator_.features_)
    assert a.get_feature_names_out() == list(b.get_feature_names_out())
    with pytest.raises(ValueError, match="nan"):
        prep.SimpleImputer(missing_values=0)
    with pytest.raises(ValueError, match="strategy"):
        prep.SimpleImputer(strategy="mode")


def categorical_frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    island = np.array(["Torgersen", "Biscoe", "Dream"], dtype=object)[rng.integers(0, 3, n)]
    sex = np.array(["male", "female"], dtype=object)[rng.integers(0, 2, n)]
    sex[rng.random(n) < 0.1] = None
    return pd.DataFrame({"island": island, "sex": sex,
                         "mass": np.where(rng.random(n) < 0.1, np.nan, rng.normal(4200, 500, n)),
                         "bill": rng.normal(44, 5, n)})


def sk_categories(cats):
    return [[None if (isinstance(v, float) and np.isnan(v)) or v is None else v for v in c] for c in cats]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_one_hot_encoder(dtype):
    df = categorical_frame()
    cols = df[["island", "sex"]]
    a = prep.OneHotEncoder(dtype=dtype)
    b = preprocessing.OneHotEncoder(sparse_output=False, dtype=dtype)
    y = a.fit_transform(cols)
    close(y, b.fit_transform(cols), dtype=dtype)
    assert a.categories_ == sk_categories(b.categories_)
    assert a.get_feature_names_out() == list(b.get_feature_names_out())
    # The same data as a dict, a 2-D object array, and an ox.Table give the same result.
    close(a.transform({"island": list(df.island), "sex": list(df.sex)}), y)
    close(prep.OneHotEncoder(dtype=dtype).fit_transform(cols.to_numpy()), y)
    # Unknown categories: an error naming the value, or zeros with "ignore".
    new = pd.DataFrame({"island": ["Dream", "Atlantis"], "sex": ["male", "female"]})
    with pytest.raises(ValueError, match="Atlantis"):
        a.transform(new)
    ig = prep.OneHotEncoder(handle_unknown="ignore").fit(cols)
    bg = preprocessing.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(cols)
    close(ig.transform(new), bg.transform(new))
    inv = a.inverse_transform(y)
    assert isinstance(inv, ox.Table) and inv["island"].tolist() == list(df.island)
    assert inv["sex"].tolist() == [v if isinstance(v, str) else None for v in df.sex]
    with pytest.raises(ValueError, match="sparse_output"):
        prep.OneHotEncoder(sparse_output=True)


def test_ordinal_encoder():
    df = categorical_frame()[["island", "sex"]]
    a, b = prep.OrdinalEncoder(), preprocessing.OrdinalEncoder()
    close(a.fit_transform(df), b.fit_transform(df))
    assert a.categories_ == sk_categories(b.categories_)
    new = pd.DataFrame({"island": ["Atlantis"], "sex": ["male"]})
    with pytest.raises(ValueError, match="Atlantis"):
        a.transform(new)
    a = prep.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(df)
    b = preprocessing.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(df)
    close(a.transform(new), b.transform(new))
    with pytest.raises(ValueError, match="unknown_value"):
        prep.OrdinalEncoder(handle_unknown="use_encoded_value")


def test_pipeline_and_column_transformer(tmp_path):
    df = categorical_frame()
    ours = prep.ColumnTransformer([
        ("num", prep.Pipeline([("impute", prep.SimpleImputer(strategy="median")),
                               ("scale", prep.StandardScaler())]), ["mass", "bill"]),
        ("cat", prep.Pipeline([("impute", prep.SimpleImputer(strategy="most_frequent")),
                               ("onehot", prep.OneHotEncoder(handle_unknown="ignore"))]), ["island", "sex"]),
    ])
    theirs = compose.ColumnTransformer([
        ("num", pipeline.Pipeline([("impute", impute.SimpleImputer(strategy="median")),
                                   ("scale", preprocessing.StandardScaler())]), ["mass", "bill"]),
        ("cat", pipeline.Pipeline([("impute", impute.SimpleImputer(strategy="most_frequent")),
                                   ("onehot", preprocessing.OneHotEncoder(handle_unknown="ignore",
                                                                          sparse_output=False))]),
         ["island", "sex"]),
    ])
    y = ours.fit_transform(df)
    close(y, theirs.fit_transform(df), rtol=1e-10)
    assert ours.get_feature_names_out() == list(theirs.get_feature_names_out())
    # Saved and loaded (JSON) or pickled: identical output.
    ours.save(tmp_path / "prep.json")
    close(prep.ColumnTransformer.load(tmp_path / "prep.json").transform(df), y, rtol=0, atol=0)
    close(pickle.loads(pickle.dumps(ours)).transform(df), y, rtol=0, atol=0)
    # From a CSV file through ox.read_csv.
    df.to_csv(tmp_path / "p.csv", index=False)
    close(ours.transform(ox.read_csv(tmp_path / "p.csv")), y, rtol=1e-12)
    # remainder="passthrough" keeps the other numeric columns.
    pt = prep.ColumnTransformer([("s", prep.StandardScaler(), ["mass"])], remainder="passthrough")
    with pytest.raises(ValueError):
        pt.fit(df)  # the remainder holds categorical columns
    pt.fit(df[["mass", "bill"]])
    sk = compose.ColumnTransformer([("s", preprocessing.StandardScaler(), ["mass"])], remainder="passthrough")
    close(pt.transform(df[["mass", "bill"]]), sk.fit_transform(df[["mass", "bill"]]), rtol=1e-10)


def test_numeric_pipeline_attributes_and_persistence(tmp_path):
    x = data("float32")
    p = prep.Pipeline([("impute", prep.SimpleImputer()), ("scale", prep.MinMaxScaler())])
    s = pipeline.Pipeline([("impute", impute.SimpleImputer()), ("scale", preprocessing.MinMaxScaler())])
    y = p.fit_transform(x)
    close(y, s.fit_transform(x), dtype="float32", rtol=1e-5)
    assert p.step_names == ["impute", "scale"]
    close(p.named_steps["scale"].data_min_, s.named_steps["scale"].data_min_, rtol=1e-6)
    with pytest.raises(ValueError, match="add_indicator=True"):  # as in scikit-learn
        p.inverse_transform(y)
    close(p.named_steps["scale"].inverse_transform(y), s.named_steps["scale"].inverse_transform(y), rtol=1e-6)
    p.save(tmp_path / "p.json")
    close(prep.Pipeline.load(tmp_path / "p.json").transform(x), y, rtol=0, atol=0)
    scaler = prep.StandardScaler().fit(x)
    scaler.save(tmp_path / "s.json")
    close(prep.StandardScaler.load(tmp_path / "s.json").mean_, scaler.mean_, rtol=0, atol=0)
    close(pickle.loads(pickle.dumps(scaler)).transform(x), scaler.transform(x), rtol=0, atol=0)
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(ValueError):
        prep.StandardScaler.load(tmp_path / "bad.json")


def test_not_fitted_and_bad_input():
    with pytest.raises(AttributeError, match="not fitted"):
        prep.StandardScaler().mean_
    with pytest.raises(ValueError, match="not fitted"):
        prep.StandardScaler().transform(data())
    s = prep.StandardScaler().fit(data())
    with pytest.raises(ValueError, match="features"):
        s.transform(data(d=3))
    with pytest.raises(ValueError):
        s.fit(np.zeros(4))  # 1-D
    with pytest.raises(TypeError):
        prep.Pipeline([("x", object())])
    with pytest.raises(ValueError, match="feature range"):
        prep.MinMaxScaler(feature_range=(1, 0))


def test_train_test_split_sizes_like_sklearn():
    x = np.arange(40).reshape(20, 2)
    y = np.array([0] * 15 + [1] * 5)
    for kw in [{}, {"test_size": 0.3}, {"test_size": 4}, {"train_size": 0.5}, {"train_size": 12, "test_size": 3}]:
        ours = prep.train_test_split(x, y, random_state=0, **kw)
        theirs = model_selection.train_test_split(x, y, random_state=0, **kw)
        assert [a.shape for a in ours] == [a.shape for a in theirs]
    xtr, xte, ytr, yte = prep.train_test_split(x, y, test_size=0.25, random_state=1, stratify=y)
    assert sorted(np.asarray(xtr)[:, 0].tolist() + np.asarray(xte)[:, 0].tolist()) == list(range(0, 40, 2))
    assert np.asarray(yte).sum() == 1 and np.asarray(ytr).sum() == 4  # class shares kept
    # Rows stay paired across arrays; a seed is reproducible.
    np.testing.assert_array_equal(np.asarray(ytr), y[np.asarray(xtr)[:, 0] // 2])
    a = prep.train_test_split(x, random_state=5)
    b = prep.train_test_split(x, random_state=5)
    np.testing.assert_array_equal(np.asarray(a[1]), np.asarray(b[1]))
    labels = ["a"] * 15 + ["b"] * 5  # string class labels stratify too
    ls = prep.train_test_split(x, y, stratify=labels, random_state=0)
    assert ls[3].shape == (5,) and np.asarray(ls[3]).sum() == 1
    with pytest.raises(ValueError, match="inconsistent"):
        prep.train_test_split(x, y[:5])
    with pytest.raises(ValueError):
        prep.train_test_split(x, test_size=1.5)


def test_kfold_like_sklearn():
    x = np.zeros((23, 2))
    y = np.array([0] * 13 + [1] * 7 + [2] * 3)
    ours = [(np.asarray(a), np.asarray(b)) for a, b in prep.KFold(4).split(x)]
    theirs = list(model_selection.KFold(4).split(x))
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    ours = list(prep.StratifiedKFold(3).split(x, y))
    theirs = list(model_selection.StratifiedKFold(3).split(x, y))
    for (a, b), (c, d) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(np.asarray(a), c)
        np.testing.assert_array_equal(np.asarray(b), d)
    shuffled = list(prep.KFold(5, shuffle=True, random_state=3).split(x))
    tests = np.concatenate([np.asarray(t) for _, t in shuffled])
    assert sorted(tests.tolist()) == list(range(23)) and tests.tolist() != list(range(23))
    assert prep.KFold(3).get_n_splits() == 3 == prep.KFold(3).n_splits
    with pytest.raises(ValueError, match="n_splits"):
        prep.KFold(1)
    with pytest.raises(ValueError, match="random_state"):
        prep.KFold(3, random_state=0)
    with pytest.raises(ValueError, match="greater than the number of samples"):
        list(prep.KFold(30).split(x))


def test_batch_loader():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    loader = prep.BatchLoader(x, y, batch_size=4)
    assert len(loader) == 3
    batches = list(loader)
    assert [b[0].shape for b in batches] == [(4, 2), (4, 2), (2, 2)]
    assert all(isinstance(a, ox.Array) for b in batches for a in b)
    np.testing.assert_array_equal(np.concatenate([np.asarray(b[0]) for b in batches]), x)
    # Shuffled: every row once per epoch, rows paired, a new order each epoch.
    sh = prep.BatchLoader(x, y, batch_size=3, shuffle=True, seed=0, drop_last=True)
    assert len(sh) == 3
    e0 = [(np.asarray(a), np.asarray(b)) for a, b in sh]
    e1 = [np.asarray(b) for _, b in sh]
    rows = np.concatenate([b for _, b in e0])
    assert len(rows) == 9 and len(set(rows.tolist())) == 9
    for a, b in e0:
        np.testing.assert_array_equal(a, x[b])
    assert not np.array_equal(rows, np.concatenate(e1))
    np.testing.assert_array_equal(np.concatenate([np.asarray(b) for _, b in sh.epoch(0)]), rows)
    ox_x = ox.asarray(x)
    single = next(iter(prep.BatchLoader(ox_x, batch_size=5)))
    assert isinstance(single, ox.Array) and single.shape == (5, 2)
    # In order, batches are views of the (contiguous) input: no copy.
    assert np.asarray(single).__array_interface__["data"][0] == np.asarray(ox_x).__array_interface__["data"][0]
    with pytest.raises(ValueError, match="rows"):
        prep.BatchLoader(x, y[:3])
    with pytest.raises(ValueError, match="batch_size"):
        prep.BatchLoader(x, batch_size=0)


def test_prep_stubs_name_the_module():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(prep.__file__).with_suffix(".pyi").read_text())
    names = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef)) and not n.name.startswith("_")}
    assert names == set(prep.__all__)
    for cls in [prep.StandardScaler, prep.MinMaxScaler, prep.OneHotEncoder, prep.ColumnTransformer]:
        stub = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
        stubbed = {f.name for f in stub.body if isinstance(f, ast.FunctionDef)}
        for base in stub.bases:
            stubbed |= {f.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name == base.id
                        for f in n.body if isinstance(f, ast.FunctionDef)}
        assert {m for m in dir(cls) if not m.startswith("_")} <= stubbed, cls
