"""Entry point. `mpm --version` answers before any heavy import."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from mpm import __version__

        sys.stdout.write(f"mpm {__version__}\n")
        return
    # One short-lived process that builds many small objects and makes almost
    # no reference cycles: the cyclic collector costs a third of a large plan.
    import gc

    gc.disable()
    # mpm loads no Pydantic plugins; looking for them scans every installed
    # package's metadata at start-up.
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The forecast's numpy work is element by element (its one BLAS call is a dot product of
    # two run vectors): OpenBLAS's worker threads would only start and spin, and on two cores
    # they take the core the report draws on.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from mpm.cli import early
    from mpm.cli.answers import replay_early

    replay_early(sys.argv[1:])  # a recorded answer is written before the heavy imports
    early.start(sys.argv[1:])  # and a large workspace's parse starts on a second core
    from mpm.cli.app import run

    run()


if __name__ == "__main__":
    main()
