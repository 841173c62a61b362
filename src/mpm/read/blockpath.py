"""Where a key or list item starts in block-style YAML, found by indentation alone.

The full parse (ruamel.yaml) knows every position but costs milliseconds per
file; a status run that points at lines in hundreds of files cannot pay that.
Files mpm writes, and most files people write, are block style: there a
path's line can be read off the indentation. Anything else (flow style on
the path, quoted keys, tabs) answers None and the caller takes the full parse.
"""

from __future__ import annotations


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


class _Overlay:
    """A list of lines with a few of them replaced, without copying the list."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self.changed = lines, {}

    def __getitem__(self, i: int) -> str:
        found = self.changed.get(i)
        return self.lines[i] if found is None else found

    def __setitem__(self, i: int, line: str) -> None:
        self.changed[i] = line


def block_line(lines: list[str], path: tuple[str | int, ...], *, tabs: bool | None = None,
               memo: dict | None = None) -> int | None:
    """The 1-based line where the node at `path` is written (its key, or its dash).

    `lines` is the file's text split at newlines; `tabs`: whether it holds a tab, when the
    caller knows (else it is looked for); `memo`: a dict kept with the lines, where the
    items of each list on the way are remembered (the items of a 200-person team are then
    found once, not once per person).
    """
    if tabs if tabs is not None else any("\t" in line for line in lines):
        return None
    view = _Overlay(lines)  # lines as seen from the current node: an item's dash becomes a space
    lo, hi = 0, len(lines)
    found = None
    for depth, part in enumerate(path):
        first = next((i for i in range(lo, hi) if _content(view[i])), None)
        if first is None:
            return None
        ind = _indent(view[first])
        if isinstance(part, str):
            hit = None
            for i in range(lo, hi):
                line = view[i]
                if not _content(line) or _indent(line) != ind:
                    continue
                rest = line[ind:]
                if rest.startswith(part + ":") and (len(rest) == len(part) + 1 or rest[len(part) + 1] in " #"):
                    hit = i
                    break
                if rest.startswith(("- ", "{", "[", '"', "'", "? ")) or rest == "-":
                    return None
            if hit is None:
                return None
            end = hit + 1
            while end < hi:
                line = view[end]
                if _content(line):
                    li = _indent(line)
                    dash = line[li:].startswith("- ") or line[li:] == "-"
                    if li < ind or (li == ind and not dash):
                        break
                end += 1
            found, lo, hi = hit, hit + 1, end
        else:
            line = view[first]
            if not (line[ind:].startswith("- ") or line[ind:] == "-"):
                return None
            key = (path[:depth], lo, hi)  # the lines seen depend only on the way down
            starts = memo.get(key) if memo is not None else None
            if starts is None:
                starts = [i for i in range(lo, hi)
                          if _content(view[i]) and _indent(view[i]) == ind
                          and (view[i][ind:].startswith("- ") or view[i][ind:] == "-")]
                if memo is not None:
                    memo[key] = starts
            if part >= len(starts):
                return None
            hit = starts[part]
            if view[hit][ind:].strip() == "-":
                return None  # the item's content starts on the next line: ask the full parse
            end = starts[part + 1] if part + 1 < len(starts) else hi
            # inside the item the dash reads as indentation
            view[hit] = view[hit][:ind] + " " + view[hit][ind + 1:]
            found, lo, hi = hit, hit, end
    return None if found is None else found + 1
