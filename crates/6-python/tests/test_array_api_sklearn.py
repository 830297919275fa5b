"""scikit-learn on oxarray arrays: with array API dispatch the estimators
compute through `ox` functions (the results are ox arrays) and match the
NumPy results; without dispatch, estimators convert through `__array__`."""

import os

import numpy as np
import pytest

import oxarray as ox

sklearn = pytest.importorskip("sklearn")
pytest.importorskip("array_api_compat")

from sklearn.decomposition import PCA  # noqa: E402
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

if os.environ.get("SCIPY_ARRAY_API") != "1":  # set by conftest.py before SciPy loads
    pytest.skip("SCIPY_ARRAY_API=1 was not set before SciPy was imported", allow_module_level=True)

RNG = np.random.default_rng(0)
X = RNG.standard_normal((60, 5)) * np.array([1.0, 10.0, 0.1, 3.0, 1.0]) + np.array([0.0, 5.0, -2.0, 0.0, 1.0])
X[:, 4] = 7.0  # a constant feature: the zero-variance paths
Y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + RNG.standard_normal(60) * 0.1
LABELS = (X[:, 0] + 0.2 * X[:, 1] > 1.0).astype(np.int64) + (X[:, 3] > 1.0).astype(np.int64)


@pytest.fixture
def dispatch():
    with sklearn.config_context(array_api_dispatch=True):
        yield


def fitted_pair(make, *args):
    """The estimator fitted on NumPy arrays and on ox arrays."""
    ref = make().fit(*args)
    ours = make().fit(*(ox.asarray(a) for a in args))
    return ref, ours


def assert_ox_close(got, expected, rtol=1e-10, atol=1e-10):
    assert isinstance(got, ox.Array), type(got)
    np.testing.assert_allclose(np.asarray(got), expected, rtol=rtol, atol=atol)


def test_standard_scaler(dispatch):
    ref, ours = fitted_pair(StandardScaler, X)
    assert_ox_close(ours.mean_, ref.mean_)
    assert_ox_close(ours.var_, ref.var_)
    assert_ox_close(ours.scale_, ref.scale_)
    assert_ox_close(ours.transform(ox.asarray(X)), ref.transform(X))
    assert_ox_close(ours.inverse_transform(ours.transform(ox.asarray(X))), X)


def test_min_max_scaler(dispatch):
    ref, ours = fitted_pair(lambda: MinMaxScaler(feature_range=(-1, 2)), X)
    assert_ox_close(ours.data_min_, ref.data_min_)
    assert_ox_close(ours.scale_, ref.scale_)
    assert_ox_close(ours.transform(ox.asarray(X)), ref.transform(X))


def test_pca_full(dispatch):
    ref, ours = fitted_pair(lambda: PCA(n_components=3, svd_solver="full"), X)
    assert_ox_close(ours.explained_variance_, ref.explained_variance_)
    assert_ox_close(ours.singular_values_, ref.singular_values_)
    # components are unique up to sign; sklearn's svd_flip fixes the sign
    # from the data, so they agree exactly in sign too
    assert_ox_close(ours.components_, ref.components_, rtol=1e-8, atol=1e-8)
    assert_ox_close(ours.transform(ox.asarray(X)), ref.transform(X), rtol=1e-8, atol=1e-8)


def test_ridge_svd(dispatch):
    ref, ours = fitted_pair(lambda: Ridge(alpha=0.5, solver="svd"), X, Y)
    assert_ox_close(ours.coef_, ref.coef_)
    assert float(ours.intercept_) == pytest.approx(float(ref.intercept_), rel=1e-10)
    assert_ox_close(ours.predict(ox.asarray(X)), ref.predict(X))


def test_linear_discriminant_analysis(dispatch):
    ref, ours = fitted_pair(LinearDiscriminantAnalysis, X[:, :4], LABELS)
    assert_ox_close(ours.means_, ref.means_)
    assert_ox_close(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-8)
    assert_ox_close(ours.transform(ox.asarray(X[:, :4])), ref.transform(X[:, :4]), rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(np.asarray(ours.predict(ox.asarray(X[:, :4]))), ref.predict(X[:, :4]))


def test_logistic_regression_without_dispatch():
    # no dispatch: sklearn converts ox arrays with np.asarray (__array__)
    ref, ours = fitted_pair(LogisticRegression, X[:, :4], LABELS)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6)
    np.testing.assert_array_equal(ours.predict(ox.asarray(X[:, :4])), ref.predict(X[:, :4]))


def test_dispatch_uses_the_ox_namespace(dispatch):
    from sklearn.utils._array_api import get_namespace

    xp_, is_array_api = get_namespace(ox.asarray(X))
    assert is_array_api
    assert xp_.__name__ in ("oxarray", "array_api_compat.oxarray") or getattr(xp_, "asarray", None) is ox.asarray
