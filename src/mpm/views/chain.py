"""What drives a date: the chain of tasks that sets a task's start, and the deadline behind its float.

`--why`, the plan's launch headline and status findings all tell the same
story from these two walks over the plan's bindings.
"""

from __future__ import annotations

from mpm.plan.dates import ScheduledTask


def driving_chain(t: ScheduledTask) -> list[ScheduledTask]:
    """The predecessors (or, levelled, the work whose person's hours it waited for) that set
    `t`'s early start, one after another, earliest first, ending at `t`."""
    chain = [t]
    seen = {t.ref}
    while chain[-1].why.kind in ("predecessor", "person") and chain[-1].why.other is not None:
        nxt = chain[-1].why.other
        if nxt.ref in seen:
            break
        seen.add(nxt.ref)
        chain.append(nxt)
    return chain[::-1]


def late_successor(t: ScheduledTask) -> ScheduledTask | None:
    """The later task whose due date sets `t`'s late finish (following successors), if any."""
    seen = set()
    step = t
    while step.node not in seen:
        seen.add(step.node)
        why = step.why_late
        if why.kind == "due" and step is not t:
            return step
        if why.kind != "successor" or why.other is None:
            return None
        step = why.other
    return None


def chain_text(chain: list[ScheduledTask], seen_from: ScheduledTask, most: int = 6) -> str:
    """`a → b → launch`, ids of other campaigns written in full, long chains cut at the front."""
    names = [s.id if s.campaign == seen_from.campaign else s.ref for s in chain]
    if len(names) > most:
        names = ["…", *names[-(most - 1):]]
    return " → ".join(names)
