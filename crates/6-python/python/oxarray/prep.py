"""Data preparation with scikit-learn's names, defaults and results.

``from oxarray.prep import StandardScaler, OneHotEncoder, ColumnTransformer, ...``

Numeric transformers (``SimpleImputer``, ``StandardScaler``, ``MinMaxScaler``,
``MaxAbsScaler``, ``RobustScaler``, ``Normalizer``) and ``Pipeline`` take 2-D
arrays (anything ``ox.asarray`` takes); float32 stays float32 and NaN is a
missing value. ``OneHotEncoder``, ``OrdinalEncoder`` and ``ColumnTransformer``
take columns: an ``ox.Table`` (from ``ox.read_csv``), a dict of columns, a
pandas ``DataFrame`` or a 2-D array of strings. Every estimator has
``save``/``load`` (JSON) and pickles. ``train_test_split``, ``KFold`` and
``StratifiedKFold`` split rows; ``BatchLoader`` yields mini-batches of ox
arrays. Work runs in Rust with the GIL released.
"""

from ._oxarray import _prep

SimpleImputer = _prep.SimpleImputer
StandardScaler = _prep.StandardScaler
MinMaxScaler = _prep.MinMaxScaler
MaxAbsScaler = _prep.MaxAbsScaler
RobustScaler = _prep.RobustScaler
Normalizer = _prep.Normalizer
OneHotEncoder = _prep.OneHotEncoder
OrdinalEncoder = _prep.OrdinalEncoder
Pipeline = _prep.Pipeline
ColumnTransformer = _prep.ColumnTransformer
KFold = _prep.KFold
StratifiedKFold = _prep.StratifiedKFold
BatchLoader = _prep.BatchLoader
BatchIterator = _prep.BatchIterator
train_test_split = _prep.train_test_split

__all__ = [
    "SimpleImputer",
    "StandardScaler",
    "MinMaxScaler",
    "MaxAbsScaler",
    "RobustScaler",
    "Normalizer",
    "OneHotEncoder",
    "OrdinalEncoder",
    "Pipeline",
    "ColumnTransformer",
    "KFold",
    "StratifiedKFold",
    "BatchLoader",
    "BatchIterator",
    "train_test_split",
]
