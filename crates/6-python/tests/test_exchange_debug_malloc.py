"""A loop of zero-copy exchanges, every deletion order, in a child
interpreter with Python's debug allocator (PYTHONMALLOC=debug: freed
memory is poisoned, buffer overruns and frees with the wrong allocator
abort) and faulthandler on. The child must exit cleanly and every value it
reads back must be right."""

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import gc, itertools
    import numpy as np
    import oxarray as ox

    def producers():
        yield "ox->np buffer", lambda: (lambda a: (a, np.asarray(a)))(ox.arange(1000, dtype=ox.float64))
        yield "ox->np dlpack", lambda: (lambda a: (a, np.from_dlpack(a)))(ox.arange(1000, dtype=ox.float64))
        yield "np->ox buffer", lambda: (lambda n: (ox.asarray(n), n))(np.arange(1000, dtype=np.float64))
        yield "np->ox dlpack", lambda: (lambda n: (ox.from_dlpack(n), n))(np.arange(1000, dtype=np.float64))
        yield "ox->memoryview", lambda: (lambda a: (a, np.frombuffer(memoryview(a), dtype=np.float64)))(
            ox.arange(1000, dtype=ox.float64))

    checked = 0
    for round_ in range(200):
        for name, make in producers():
            for first in (0, 1):
                pair = list(make())
                ox_side, np_side = pair
                assert float(np_side[999]) == 999.0, name
                assert float(ox_side[999]) == 999.0, name
                del ox_side, np_side
                victim = pair.pop(first)
                del victim
                gc.collect()
                survivor = pair.pop()
                # The survivor still reads the shared memory correctly.
                assert float(np.asarray(survivor)[500]) == 500.0, name
                del survivor
                checked += 1
    gc.collect()
    print("exchanges", checked)
    """
)


def test_exchange_loop_under_debug_allocator():
    env = dict(os.environ, PYTHONMALLOC="debug", PYTHONFAULTHANDLER="1")
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-4000:]
    assert out.stdout.split() == ["exchanges", str(200 * 5 * 2)]
