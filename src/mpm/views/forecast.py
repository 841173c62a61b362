"""The forecast per campaign, as plain data: P50/P80/P95 dates, chances, criticality, drivers.

`forecast_view` runs `plan.forecast.simulate` on the plan's network and
turns the runs into what people read (DESIGN §3c): the dates by which a
campaign finishes (and launches) in 50, 80 and 95 % of the runs, the chance
of finishing by `end` and launching by `launch`, each task's criticality
(the share of runs in which it is on its campaign's critical path), the
tasks and risks whose draws move the finish most (Spearman rank correlation
with the finish), and the finish date of every run for a histogram. The
launch is the plan's own: `CampaignPlan.launch_task`.
"""

from __future__ import annotations

import math

import numpy as np

from mpm.plan import engine
from mpm.plan.dates import CampaignPlan, Plan
from mpm.plan.forecast import Samples, simulate
from mpm.plan.uncertainty import Estimate, RiskEvent, Uncertainty
from mpm.read.load import Workspace
from mpm.views.forecast_data import (
    DEFAULT_RUNS,
    Answer,
    Driver,
    Forecast,
    Input,
    Launch,
    Request,
    Summary,
    answers_plan,
    chosen_campaigns,
    forecasts,
    launch_forecast,
    request,
)

QUANTILES = (0.5, 0.8, 0.95)
TOP_DRIVERS = 5
MIN_CORRELATION = 0.1  # weaker than this is noise at a few thousand runs (fewer runs: 3 / √runs)


def forecast_view(ws: Workspace, plan: Plan, *, runs: int = DEFAULT_RUNS, seed: int = 0,
                  campaigns: list[str] | None = None, extra_links: list[tuple[int, int]] | None = None,
                  detail: bool = True, standby=None) -> Forecast:  # standby: report_forecast.ForecastStandby
    """The forecast of the chosen campaigns (default: all but those on hold or
    cancelled, which are not forecast; a done campaign shows its actuals).

    `extra_links`: FS links (predecessor node, successor node) beyond the
    dependencies; by default a levelled plan's resource links (§3b).
    `detail=False` makes the dates, chances and histograms alone, for a view
    that shows no more (the report): no criticality, drivers or inputs.
    `standby`: a child handed these runs while the plan was made (`mpm forecast`'s); its
    samples are used when they are this plan's runs, else they are made here.
    """
    chosen = chosen_campaigns(plan, campaigns)
    if not detail:
        req = request(ws, plan, chosen, runs=runs, seed=seed, extra_links=extra_links)
        return Forecast(plan.as_of, runs, seed, forecasts(plan, chosen, req, summaries(req)))
    samples = None
    early = standby.handed if standby is not None else None
    if early is not None and extra_links is None and answers_plan(early, plan, chosen, runs, seed, True):
        # its points hold every milestone that may be a launch, the plan's launches among them
        req, samples = early, standby.child.result()
    if samples is None:
        req = request(ws, plan, chosen, runs=runs, seed=seed, extra_links=extra_links, criticality=True)
        samples = _simulate(req)
    finish, launch = _summaries(req, samples)
    drivers = _Drivers(plan, req.net, req.unc, samples, req.links)
    inputs = _inputs(req.unc, drivers.by_node)
    crit = samples.critical

    def detail_of(cp: CampaignPlan, g: int) -> dict:
        return {"criticality": [(t.id, float(crit[t.node]) / runs) for t in cp.tasks],  # type: ignore[index]
                "drivers": drivers.of(cp, g) if cp.tasks else [], "inputs": inputs.get(cp.id, [])}

    out = forecasts(plan, chosen, req, (finish, launch), detail_of)
    return Forecast(plan.as_of, runs, seed, out)


def samples_of(req: Request) -> Samples:
    """Every run `req` asks for."""
    return _simulate(req)


def summaries(req: Request) -> Answer:
    """The runs `req` asks for, summarised: (group -> its finish, launch node -> its date)."""
    return _summaries(req, _simulate(req))


def _simulate(req: Request) -> Samples:
    return simulate(req.net, req.unc, runs=req.runs, seed=req.seed, extra_links=req.links,
                    groups=req.groups, points=req.points, criticality=req.criticality,
                    order=req.order, split=req.split)


def _summaries(req: Request, samples: Samples) -> Answer:
    """(group -> its finish, launch node -> its date); a group without tasks has no finish."""
    return ({g: _summary(samples.finish[g]) for g in req.groups if len(samples.finish.get(g, ()))},
            {n: _summary(samples.points[n]) for n in req.points})


def _summary(offsets: np.ndarray) -> Summary:
    ranked = np.sort(offsets)
    n = len(ranked)
    # the earliest offset by which at least a share p of the runs are done
    at = tuple(int(ranked[max(1, math.ceil(p * n - 1e-9)) - 1]) for p in QUANTILES)
    low = int(ranked[0])
    return at, low, np.bincount(offsets - low).tolist()


def launch_forecasts(ws: Workspace, plan: Plan, campaigns: list[str], *, runs: int = DEFAULT_RUNS,
                     seed: int = 0, extra_links: list[tuple[int, int]] | None = None) -> dict[str, Launch]:
    """The launch forecast alone of each campaign named (that has a launch milestone).

    Only the work leading to the launches is swept; the numbers are those
    of `forecast_view` with the same runs and seed. Nothing is run when
    nothing varies: the launch is then the plan's.
    """
    wanted = [(cp, cp.launch_task()) for cp in plan.campaigns if cp.id in campaigns]
    launches = [(cp, t) for cp, t in wanted if t is not None]
    if not launches:
        return {}
    req = request(ws, plan, [cp for cp, _ in launches], runs=runs, seed=seed, extra_links=extra_links,
                  finishes=False)
    if not (req.unc.estimates or req.unc.drawn_risks):
        return {}
    _, at = summaries(req)
    return {cp.id: launch_forecast(plan, cp, t, runs, at[t.node]) for cp, t in launches}


def _inputs(unc: Uncertainty, by_node: dict) -> dict[str, list[Input]]:
    """What each campaign's runs draw, and the risks they leave out with the reason."""
    out: dict[str, list[Input]] = {}
    for e in unc.estimates:
        t = by_node[e.node]
        out.setdefault(t.campaign, []).append(Input("estimate", t.id, _estimate_text(e, t.task.days)))
    for r in unc.risks:
        if r.skipped is not None:
            out.setdefault(r.campaign, []).append(Input("risk", r.id, f"not drawn: {r.skipped}", drawn=False))
        else:
            out.setdefault(r.campaign, []).append(Input("risk", r.id, _risk_text(r, by_node)))
    return out


def _estimate_text(e: Estimate, planned: int) -> str:
    mean = (e.optimistic + 4 * e.likely + e.pessimistic) / 6
    return (f"{e.optimistic:g} / {e.likely:g} / {e.pessimistic:g} days (PERT mean {mean:.1f}); "
            f"planned {planned}")


def _risk_text(r: RiskEvent, by_node: dict) -> str:
    names = [by_node[n].id if by_node[n].campaign == r.campaign else by_node[n].ref for n in r.nodes]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"{r.probability:.0%} chance of +{r.delay} working days on {shown}"


class _Drivers:
    """Rank correlation of each draw with a campaign's finish, among the draws that can reach it."""

    def __init__(self, plan: Plan, net: engine.Network, unc: Uncertainty, samples: Samples,
                 extra_links: list[tuple[int, int]] | None) -> None:
        self.plan, self.unc, self.samples = plan, unc, samples
        self.preds: list[list[int]] = [[a for a, _, _ in p] for p in net.preds]
        for a, b in extra_links or []:
            self.preds[b].append(a)
        self.by_node = {t.node: t for t in plan.by_ref.values()}
        self.est_index = {e.node: i for i, e in enumerate(unc.estimates)}
        self.risks = unc.drawn_risks
        self.risks_at: dict[int, list[int]] = {}  # node -> the drawn risks that delay it
        for k, risk in enumerate(self.risks):
            for node in risk.nodes:
                self.risks_at.setdefault(node, []).append(k)
        self._tasks = _centred_ranks_rows(samples.durations)
        self._risks = _centred_ranks_rows(samples.occurred.astype(np.int32))

    def _reach(self, cp: CampaignPlan) -> set[int]:
        seen = {t.node for t in cp.tasks}
        stack = list(seen)
        while stack:
            for a in self.preds[stack.pop()]:
                if a not in seen:
                    seen.add(a)
                    stack.append(a)
        return seen

    def of(self, cp: CampaignPlan, g: int) -> list[Driver]:
        reach = self._reach(cp)
        finish = _centred_ranks(self.samples.finish[g])
        if finish is None:
            return []
        found = []
        for node in sorted(reach):
            i = self.est_index.get(node)
            if i is None:
                continue
            ranks = self._tasks[i]
            t = self.by_node[node]
            if ranks is not None:
                found.append(Driver("task", t.id if t.campaign == cp.id else t.ref, float(ranks @ finish)))
        for k in sorted({k for node in reach for k in self.risks_at.get(node, ())}):
            risk = self.risks[k]
            ranks = self._risks[k]
            if ranks is not None:
                rid = risk.id if risk.campaign == cp.id else f"{risk.campaign}/{risk.id}"
                found.append(Driver("risk", rid, float(ranks @ finish)))
        floor = max(MIN_CORRELATION, 3 / math.sqrt(self.samples.runs))
        found = [d for d in found if abs(d.correlation) >= floor]
        found.sort(key=lambda d: (-abs(d.correlation), d.kind, d.id))
        for d in found:
            d.correlation = round(d.correlation, 3)
        return found[:TOP_DRIVERS]


def _centred_ranks(x: np.ndarray) -> np.ndarray | None:
    """Average ranks (ties share their mean rank), centred and scaled to unit length; None if constant."""
    order = np.argsort(x, kind="stable")
    ordered = x[order]
    # runs of equal values: each gets the mean of the positions it spans
    edges = np.flatnonzero(np.diff(ordered)) + 1
    starts = np.concatenate(([0], edges))
    ends = np.concatenate((edges, [len(x)]))
    if len(starts) == 1:
        return None
    mean_rank = (starts + ends - 1) / 2
    ranks = np.empty(len(x))
    ranks[order] = np.repeat(mean_rank, ends - starts)
    ranks -= ranks.mean()
    return ranks / np.sqrt(ranks @ ranks)


def _centred_ranks_rows(x: np.ndarray, block: int = 256) -> list[np.ndarray | None]:
    """`_centred_ranks` of each row of an integer matrix, counting values instead of sorting.

    Rows go `block` at a time: the counting needs a few copies of what it ranks.
    """
    if len(x) > block:
        return [r for i in range(0, len(x), block) for r in _centred_ranks_rows(x[i:i + block], block)]
    if x.size == 0:
        return [None] * len(x)
    low = x.min(axis=1, keepdims=True)
    shifted = (x - low).astype(np.int64)
    span = int(shifted.max()) + 1
    rows, runs = x.shape
    if span * rows > 50_000_000:  # values too spread for counting: sort each row
        return [_centred_ranks(row) for row in x]
    flat = shifted + np.arange(rows)[:, None] * span
    counts = np.bincount(flat.ravel(), minlength=rows * span).reshape(rows, span)
    below = np.cumsum(counts, axis=1) - counts  # runs with a smaller value, per value
    mean_rank = below + (counts - 1) / 2
    ranks = np.take_along_axis(mean_rank, shifted, axis=1)
    ranks -= (runs - 1) / 2
    norms = np.sqrt(np.einsum("ij,ij->i", ranks, ranks))
    return [None if n == 0 else (row / n).astype(np.float32) for row, n in zip(ranks, norms, strict=True)]
