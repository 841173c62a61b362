"""What a run of a reading command starts before its heavy imports.

`mpm.__main__` first lets `answers.replay_early` write a recorded answer and
end the run. When there is none, `start` looks at the command line the same
way: for a command that reads the whole workspace, on a large workspace read
cold from disk (no file cache filled yet), the YAML of every campaign file
starts being parsed on a second core (`read.prefetch.start_early`) while this
process imports the command line, the models and the renderers.
`load_workspace` takes the child over; a run that never loads stops it.
"""

from __future__ import annotations

import os

from mpm.cli.answers import READING
from mpm.cli.arguments import named_workspace
from mpm.read import cache


def start(args: list[str]) -> None:
    if not args or args[0] not in READING or "--help" in args or "-h" in args:
        return
    root = named_workspace(args)
    if root is None:
        return
    if cache.enabled() and os.path.exists(os.path.join(root, cache.FOLDER, cache.PACK)):
        return  # a filled file cache leaves little to parse: the load decides
    from mpm.read.files import DiskFiles
    from mpm.read.prefetch import start_early

    start_early(root, DiskFiles(root))
