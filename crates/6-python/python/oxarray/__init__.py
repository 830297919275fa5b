"""oxarray: n-dimensional arrays for machine-learning data, written in Rust.

``import oxarray as ox``. The namespace follows the Python Array API
standard; arrays exchange memory with NumPy, PyTorch and JAX without
copying (buffer protocol, ``__array_interface__``, DLPack).

Sharing and writes:

* ``ox.asarray(np_array)`` and ``ox.from_dlpack(t)`` view the producer's
  memory. Writes through the oxarray array reach the producer when the
  producer's memory is writable and the oxarray array is its only oxarray
  handle; read-only memory (read-only NumPy arrays, JAX arrays, memory maps)
  stays read-only: writing copies first.
* ``np.asarray(x)``, ``memoryview(x)``, ``np.from_dlpack(x)`` and
  ``torch.from_dlpack(x)`` view ``x``'s memory. The export is writable only
  when ``x`` held its memory alone; otherwise it is read-only, so no
  consumer can change another oxarray array. The consumer's writes show in
  ``x``; ``x``'s own later writes copy first (copy-on-write) while an export
  is alive, so they do not show in the consumer.
* Views (``x[1:]``, ``x.T``) never copy, and a write through one array never
  changes another oxarray array (copy-on-write).

Fused expressions: ``@ox.fuse`` runs a function's elementwise code in one
pass (its array arguments become lazy ``ox.Expr`` values); ``ox.lazy(x)``
starts an ``ox.Expr`` by hand and ``.eval()`` computes it.
"""

from ._oxarray import *  # noqa: F401,F403
from ._oxarray import Array, Expr, NpzFile, __version__, dtype, lazy  # noqa: F401
import builtins as _builtins  # noqa: E402
import functools as _functools  # noqa: E402

__array_api_version__ = "2025.12"


# Files, tables, preparation and pickling.
from ._oxarray import Categorical, Table, _rebuild, read_csv, write_csv  # noqa: F401,E402
from . import prep  # noqa: F401,E402
import collections.abc as _abc  # noqa: E402

_abc.Mapping.register(NpzFile)


def _array_like(x):
    """Whether `fuse` wraps the argument `x` in `lazy`: an ``ox.Array``, an
    ``ox.Expr``, or an object that offers its memory as an array
    (``__array_interface__``, ``__array__``, ``__dlpack__`` on its type, or
    the buffer protocol), such as NumPy arrays and scalars, PyTorch and JAX
    arrays. ``str``, ``bytes`` and ``bytearray`` are not, nor are Python
    numbers, lists or tuples."""
    if isinstance(x, (Array, Expr)):
        return True
    # The namespace's `bool`, `float`, … are dtypes: the Python types are the builtins'.
    b = _builtins
    if x is None or isinstance(x, (b.bool, b.int, b.float, b.complex, b.str, b.bytes, b.bytearray, b.list, b.tuple,
                                   b.dict)):
        return False
    t = type(x)
    if hasattr(t, "__array_interface__") or hasattr(t, "__array__") or hasattr(t, "__dlpack__"):
        return True
    try:
        memoryview(x).release()
    except TypeError:
        return False
    return True


def _evaluated(r):
    """`r` with every ``ox.Expr`` in it evaluated: `r` itself, or the items
    of a tuple (named tuples included) or list, nested ones too."""
    if isinstance(r, Expr):
        return r.eval()
    if isinstance(r, list):
        return [_evaluated(v) for v in r]
    if isinstance(r, tuple):
        items = [_evaluated(v) for v in r]
        return type(r)._make(items) if hasattr(type(r), "_make") else type(r)(items)
    return r


def fuse(fn):
    """Run `fn`'s elementwise code in one pass: a decorator.

    The wrapper passes every array argument (positional or keyword) to `fn`
    as ``ox.lazy(arg)``: ``ox.Array``, NumPy arrays and other objects with
    ``__array_interface__``, ``__array__``, ``__dlpack__`` or the buffer
    protocol (``str``, ``bytes`` and ``bytearray`` excepted). Python numbers,
    lists, tuples and every other argument are passed as they are. The
    operators and the elementwise functions (``ox.exp``, ``ox.maximum``, …)
    then build an ``ox.Expr`` instead of computing, and the wrapper
    evaluates what `fn` returns: an ``ox.Expr`` becomes its array (computed
    in one pass, with exactly the eager result); a tuple or list (nested
    ones too) has each ``ox.Expr`` item evaluated (one pass per item);
    anything else is returned unchanged.

    Fusing saves passes over memory, which pays for large arrays (from some
    10⁵ elements on); on small ones the setup costs more than eager code.
    Only elementwise code fuses: a reduction or another function that needs
    an array (``ox.mean``, indexing, ``.shape``) cannot take an ``ox.Expr``;
    compute those outside or call ``.eval()`` on the part they need.

    >>> import numpy as np, oxarray as ox
    >>> @ox.fuse
    ... def standardize(x, m, s):
    ...     return (x - m) / s
    >>> x = np.array([[1.0, 2.0], [3.0, 6.0]], dtype=np.float32)
    >>> standardize(x, x.mean(axis=0), x.std(axis=0))
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    """

    @_functools.wraps(fn)
    def fused(*args, **kwargs):
        args = [lazy(a) if _array_like(a) else a for a in args]
        kwargs = {k: lazy(v) if _array_like(v) else v for k, v in kwargs.items()}
        return _evaluated(fn(*args, **kwargs))

    return fused
