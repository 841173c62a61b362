"""A long output's sections rendered on two cores, written in their order.

A portfolio report of thousands of campaigns spends most of its time drawing
each campaign's section, and the sections do not depend on each other.
`in_two` renders the later half of the sections in a forked child
(`read.beside`), which writes its bytes to an unnamed temporary file, while
this process renders the earlier half; it then copies the child's bytes
out a megabyte at a time. Nothing is held whole in memory, and the bytes are
those of rendering every section here: when the child gives nothing (no
fork, a crash, a full disk) or there is no temporary folder to write to,
this process renders that half itself.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from mpm.read.beside import Beside, second_core

Item = TypeVar("Item")

_READ = 1 << 20


def in_two(items: Sequence[Item], weight: Callable[[Item], int], least: int,
           render: Callable[[Sequence[Item]], Iterator[bytes]]) -> Iterator[bytes]:
    """`render(items)`, the later items' share by a child when their total `weight` is at least
    `least` (below it a fork costs more than it saves) and a second core is there."""
    weights = [weight(x) for x in items]
    total = sum(weights)
    if total < least or len(items) < 2 or not second_core():
        yield from render(items)
        return
    split, done = 0, 0
    while split < len(items) - 1 and 2 * (done + weights[split]) <= total:
        done += weights[split]
        split += 1
    split = max(split, 1)
    try:
        spool = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115 - closed by the with below
    except OSError:  # no temporary folder to write to: one core it is
        yield from render(items)
        return
    with spool:
        fd = spool.fileno()

        def theirs() -> int:
            size = 0
            for chunk in render(items[split:]):
                view = memoryview(chunk)
                while view:
                    wrote = os.write(fd, view)
                    view = view[wrote:]
                size += len(chunk)
            return size

        child = Beside(theirs)
        try:
            yield from render(items[:split])
            size = child.result()
        finally:
            child.stop()
        if size is None or os.fstat(fd).st_size != size:  # no bytes, or not all of them
            yield from render(items[split:])
            return
        for at in range(0, size, _READ):
            yield os.pread(fd, min(_READ, size - at), at)
