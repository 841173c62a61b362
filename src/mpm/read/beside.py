"""Work done beside this process, on a second core: a forked child computes one value.

`Beside(work)` forks; the child runs `work()`, sends the value back pickled
through a pipe and leaves without running anything of the parent's. The
parent goes on with its own share and then asks for `result()`: the value,
or None when the child could not give it (no fork, a crash, a cut stream),
and the parent then does that share itself (`result_or`). Both ends are this process's
own image, so pickle carries the value (numpy arrays as raw buffers).

`Standby(prepare)` forks before the work's inputs exist: the child pays for
`prepare()` (its imports, say) on the second core while this process makes
them, then waits; `hand(job, *args)` pickles the job to it, and its value
comes back as a Beside's does. A standby never handed a job is stopped.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
from collections.abc import Callable
from typing import Any

_LENGTH = struct.Struct("<Q")  # a job's length, before its bytes


def second_core() -> bool:
    """Whether this machine can fork a child onto another core."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


class Child:
    """A forked child: its process id and the read end of its pipe, closed, stopped and
    reaped once."""

    pid = 0
    fd = -1

    def stop(self) -> None:
        """Not needed (any more): the pipe is closed, the child killed if it runs, and reaped."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        pid, self.pid = self.pid, 0
        if not pid:
            return 1
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return 1
        return os.waitstatus_to_exitcode(status)


class Beside(Child):
    """`work()` running in a forked child; `result()` waits for its value."""

    def __init__(self, work: Callable[[], Any]) -> None:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: compute, send, leave
            code = 1
            try:
                os.close(read_end)
                blob = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(blob)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.fd = pid, read_end

    def ready(self) -> bool:
        """Whether `result()` would answer at once: the child has written its value, or is gone."""
        return self.fd < 0 or bool(select.select([self.fd], [], [], 0)[0])

    def result_or(self, work: Callable[[], Any]) -> Any:
        """The child's value, or `work()` done here when the child gave none."""
        got = self.result()
        return got if got is not None else work()

    def result(self) -> Any | None:
        """The child's value, or None when it gave none."""
        if self.fd < 0:
            return None
        chunks = []
        with os.fdopen(self.fd, "rb") as stream:
            self.fd = -1
            while chunk := stream.read(1 << 20):
                chunks.append(chunk)
        if self._reap() != 0 or not chunks:
            return None
        try:
            return pickle.loads(b"".join(chunks))
        except (pickle.UnpicklingError, EOFError, ValueError):
            return None


class Standby(Beside):
    """A child that gets ready now and runs one job handed to it later (see the module's note)."""

    def __init__(self, prepare: Callable[[], object]) -> None:
        self.jobs = -1
        try:
            job_read, job_write = os.pipe()
        except OSError:
            return

        def work() -> Any:
            os.close(job_write)
            prepare()
            # by length, not to the end: children forked later keep a copy of the writing end
            with os.fdopen(job_read, "rb") as jobs:
                head = jobs.read(_LENGTH.size)
                blob = jobs.read(_LENGTH.unpack(head)[0]) if len(head) == _LENGTH.size else b""
            job, args = pickle.loads(blob)  # a short or missing job fails here: no value
            return job(*args)

        super().__init__(work)
        os.close(job_read)
        if self.fd < 0:  # no fork
            os.close(job_write)
        else:
            self.jobs = job_write

    def hand(self, job: Callable[..., Any], *args: Any) -> bool:
        """Send `job(*args)` to the child (a module-level function and picklable arguments);
        False when it cannot take it (no child, or it is gone): then do the work here."""
        fd, self.jobs = self.jobs, -1
        if fd < 0:
            return False
        try:
            with os.fdopen(fd, "wb") as out:
                blob = pickle.dumps((job, args), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(_LENGTH.pack(len(blob)))
                out.write(blob)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):  # gone, or a job it cannot get
            self.stop()
            return False
        return True

    def stop(self) -> None:
        if self.jobs >= 0:
            os.close(self.jobs)
            self.jobs = -1
        super().stop()
