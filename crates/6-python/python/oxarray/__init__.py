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
"""

from ._oxarray import *  # noqa: F401,F403
from ._oxarray import Array, NpzFile, __version__, dtype  # noqa: F401

__array_api_version__ = "2025.12"


# Files, tables, preparation and pickling.
from ._oxarray import Categorical, Table, _rebuild, read_csv, write_csv  # noqa: F401,E402
from . import prep  # noqa: F401,E402
import collections.abc as _abc  # noqa: E402

_abc.Mapping.register(NpzFile)
