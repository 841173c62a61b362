"""Generate a realistic, seeded mpm workspace of a given size for benchmarks.

    python bench/generate.py OUT_DIR --tasks 10000 [--seed 7]

N campaigns of 50 tasks each (phases, owners, efforts, dependencies of
every type with a few cross-campaign links, one weekly recurring task),
each with goals, risks, a budget and stakeholders. Same seed, same files.
With --forecast, a third of the tasks carry a three-point estimate and each
campaign has one risk with a delay: the workspace `mpm forecast` is timed on.
With --assets N, an inventory of N assets is spread over the campaigns
(kinds, statuses, reuse within and across campaigns, refresh dates) and the
weekly task has a done and a skipped occurrence: the workspace `mpm content`
is timed on.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

TASKS_PER_CAMPAIGN = 50
PHASES = ["strategy", "planning", "execution", "execution", "execution", "monitoring", "closure"]
CHANNELS = ["email", "paid-social", "organic-social", "web", "events", "pr", "retail"]
VERBS = ["Draft", "Review", "Design", "Build", "Approve", "Launch", "Measure", "Brief", "Test"]
THINGS = ["landing page", "email sequence", "ad set", "press release", "sales deck", "webinar",
          "blog post", "case study", "product video", "partner kit", "store display", "survey"]
CATEGORIES = ["media", "creative", "events", "tools", "agency", "print"]
RISK_CATEGORIES = ["technical", "market", "organizational", "legal", "vendor", "other"]


def team_yaml(people: int) -> str:
    lines = ["name: Benchmark Agency", "fiscal_year_start: 4", "currency: EUR", "calendar:",
             "  holidays:"]
    for d in ("2026-12-25", "2027-01-01", "2027-04-02", "2027-05-31", "2027-12-24"):
        lines.append(f"    - {{date: {d}, name: Holiday}}")
    lines.append("team:")
    for i in range(people):
        lines += [f"  - id: p{i:03d}", f"    name: Person {i}", "    role: Marketer",
                  f"    capacity_hours_per_week: {32 + (i % 3) * 4}"]
        if i % 4 == 0:
            lines += ["    time_off:", "      - {from: 2027-02-15, to: 2027-02-19, note: Leave}"]
    return "\n".join(lines) + "\n"


ASSET_KINDS = ["blog-post", "guide", "email", "social-post", "video", "webinar", "case-study", "landing-page"]
ASSET_STATUSES = ["idea", "draft", "in-review", "approved", "published", "published", "retired"]


def assets_yaml(rng: random.Random, index: int, count: int, people: int, start: date) -> str:
    """`count` assets of campaign `index`: each after the first derives from an earlier one,
    some from the first asset of campaign 0."""
    out = []
    for a in range(count):
        status = ASSET_STATUSES[rng.randrange(len(ASSET_STATUSES))]
        lines = [f"- id: a{a:03d}", f"  title: Asset {a} of campaign {index}",
                 f"  kind: {ASSET_KINDS[(index + a) % len(ASSET_KINDS)]}",
                 f"  channel: {rng.choice(CHANNELS)}", f"  status: {status}", f"  owner: p{rng.randrange(people):03d}"]
        if status in ("published", "retired"):
            lines.append(f"  published_on: {start + timedelta(days=rng.randrange(0, 120))}")
            lines.append(f"  review_by: {start + timedelta(days=rng.randrange(120, 400))}")
        parents = [f"a{rng.randrange(a):03d}"] if a else []
        if index and a == 1 and rng.random() < 0.2:
            parents.append("campaign-00000/a000")
        if parents:
            lines.append(f"  derived_from: [{', '.join(parents)}]")
        out.append("\n".join(lines))
    return "\n".join(out) + "\n"


def campaign_files(rng: random.Random, index: int, people: int, start: date,
                   forecast: bool = False, assets: int = 0) -> dict[str, str]:
    cid = f"campaign-{index:05d}"
    # the forecast's extras draw from their own stream: the plain workspaces stay as they were
    extra = random.Random(index)
    owner = f"p{rng.randrange(people):03d}"
    end = start + timedelta(days=200)
    campaign = "\n".join([
        f"name: Campaign {index}",
        f"type: {rng.choice(['digital', 'content', 'event', 'email', 'product-launch'])}",
        f"owner: {owner}",
        "status: active",
        "objective: Grow qualified pipeline from the target segment.",
        "audience: Operations leaders at mid-size companies",
        f"channels: [{', '.join(rng.sample(CHANNELS, 3))}]",
        "scope:",
        "  in: [campaign assets, paid promotion, reporting]",
        "  out: [website redesign]",
        f"start: {start}",
        f"launch: {start + timedelta(days=120)}",
        f"end: {end}",
        "budget:",
        "  total: 50000",
        "  lines:",
        *[f"    - {{category: {c}, planned: {rng.randrange(2, 15) * 1000}, "
          f"actual: {rng.randrange(0, 12) * 1000}}}" for c in rng.sample(CATEGORIES, 3)],
        "stakeholders:",
        "  - {name: Head of Sales, role: Sponsor, kind: internal, interest: pipeline}",
        "  - {name: Agency partner, role: Creative, kind: external, interest: scope}",
    ]) + "\n"

    tasks = []
    for t in range(TASKS_PER_CAMPAIGN):
        tid = f"t{t:02d}"
        lines = [f"- id: {tid}", f"  name: {rng.choice(VERBS)} {rng.choice(THINGS)}",
                 f"  owner: p{rng.randrange(people):03d}", f"  phase: {PHASES[t * len(PHASES) // 50]}",
                 f"  channel: {rng.choice(CHANNELS)}"]
        if t == TASKS_PER_CAMPAIGN - 1 or t % 17 == 16:
            lines.append("  milestone: true")
        else:
            duration = rng.randrange(1, 8)
            lines.append(f"  duration: {duration}")
            lines.append(f"  effort: {duration * rng.choice([2, 4, 6, 8])}")
            if forecast and t % 3 == 0:
                low = max(1, duration - extra.randrange(0, 2))
                lines.append(f"  estimate: {{optimistic: {low}, likely: {duration}, "
                             f"pessimistic: {duration + extra.randrange(1, 6)}}}")
        deps = []
        if t:
            for a in sorted(rng.sample(range(max(0, t - 8), t), min(t, rng.choice([1, 1, 2, 2, 2])))):
                kind = rng.random()
                if kind < 0.8:
                    deps.append(f"t{a:02d}")
                else:
                    dep_type = rng.choice(["SS", "FF"])
                    deps.append(f"{{task: t{a:02d}, type: {dep_type}, lag: {rng.randrange(-1, 3)}}}")
        if index and t == 5 and rng.random() < 0.3:
            deps.append(f"campaign-{rng.randrange(index):05d}/t{rng.randrange(10):02d}")
        if deps:
            lines.append(f"  depends_on: [{', '.join(deps)}]")
        if t == 10:
            first_tuesday = start + timedelta(days=7 + (1 - (start + timedelta(days=7)).weekday()) % 7)
            lines.append(f"  start: {start + timedelta(days=7)}")
            lines.append("  repeat: FREQ=WEEKLY;BYDAY=TU;COUNT=6")
            if assets:
                lines.append("  asset: a000")
                lines.append("  occurrences:")
                lines.append(f"    {first_tuesday}: {{status: done, title: The first one}}")
                lines.append(f"    {first_tuesday + timedelta(days=14)}: {{status: skipped, note: Holiday}}")
        if t % 10 == 9:
            lines.append(f"  due: {start + timedelta(days=30 + 3 * t)}")
        if t < 3:
            lines.append("  status: done")
            lines.append(f"  started_on: {start}")
            lines.append(f"  done_on: {start + timedelta(days=2)}")
        if t % 12 == 3:
            lines.append("  approvals:\n    - {by: Legal, status: pending}")
        tasks.append("\n".join(lines))

    goals = "\n".join([
        "- id: pipeline",
        "  statement: Grow qualified pipeline from the campaign",
        "  metric: qualified opportunities",
        "  unit: opportunities",
        f"  baseline: {{value: 100, date: {start}}}",
        "  target: 140",
        f"  deadline: {end}",
        f"  owner: {owner}",
        "  supports: Grow revenue 20% this fiscal year",
        "  rationale: Last year's campaigns reached 130 with a smaller budget.",
        "  measurements:",
        f"    - {{date: {start + timedelta(days=60)}, value: {rng.randrange(100, 125)}}}",
    ]) + "\n"
    risks = "\n".join(
        f"- id: r{r}\n  title: Risk {r} of campaign {index}\n  category: {RISK_CATEGORIES[(index + r) % 6]}\n"
        f"  likelihood: {rng.randrange(1, 6)}\n  impact: {rng.randrange(1, 6)}\n  owner: {owner}\n"
        f"  mitigation: Agree a fallback early.\n  status: open\n"
        f"  review_by: {start + timedelta(days=45)}\n  affects: [t{rng.randrange(50):02d}]\n"
        f"  delay_days: {rng.randrange(0, 10)}"
        for r in range(3)) + "\n"
    if forecast:  # one risk a campaign, each with a delay
        risks = risks.split("\n- id: r1")[0].rsplit("\n", 1)[0] + f"\n  delay_days: {extra.randrange(1, 10)}\n"
    base = f"campaigns/{cid}"
    files = {f"{base}/campaign.yaml": campaign, f"{base}/tasks.yaml": "\n".join(tasks) + "\n",
             f"{base}/goals.yaml": goals, f"{base}/risks.yaml": risks}
    if assets:
        files[f"{base}/assets.yaml"] = assets_yaml(rng, index, assets, people, start)
    return files


def generate(out: Path, tasks: int, seed: int = 7, forecast: bool = False, people: int | None = None,
             assets: int = 0) -> Path:
    """`forecast`: estimates on every third task that has a duration, one risk with a delay per campaign.
    `people`: the size of the team (default: one person for every five campaigns, 5 to 200).
    `assets`: an inventory of this many assets in all."""
    rng = random.Random(seed)
    campaigns = max(1, tasks // TASKS_PER_CAMPAIGN)
    per_campaign = -(-assets // campaigns) if assets else 0
    people = people or max(5, min(200, campaigns // 5))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "mpm.yaml").write_text(team_yaml(people), encoding="utf-8")
    first = date(2026, 9, 7)
    for i in range(campaigns):
        start = first + timedelta(days=7 * rng.randrange(0, 52))
        for rel, text in campaign_files(rng, i, people, start, forecast, per_campaign).items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return out


def one_campaign(out: Path, tasks: int, people: int = 20, seed: int = 7) -> Path:
    """One campaign of `tasks` tasks without dependencies, shared by `people` people: the case
    where any step quadratic over one campaign's or one person's tasks shows."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    base = out / "campaigns" / "evergreen-content"
    base.mkdir(parents=True)
    (out / "mpm.yaml").write_text(team_yaml(people), encoding="utf-8")
    (base / "campaign.yaml").write_text("\n".join([
        "name: Evergreen content", "type: content", "owner: p000", "status: active",
        "objective: Publish the whole content backlog.", "start: 2026-09-07", "end: 2027-08-27",
    ]) + "\n", encoding="utf-8")
    lines = []
    for t in range(tasks):  # one line a task: 60k tasks stay under the 5 MB file limit
        duration = rng.randrange(1, 6)
        due = ", due: 2026-12-18" if t % 500 == 7 else ""
        lines.append(f"- {{id: c{t:05d}, name: {rng.choice(VERBS)} {rng.choice(THINGS)}, "
                     f"owner: p{rng.randrange(people):03d}, duration: {duration}, "
                     f"effort: {duration * rng.choice([1, 2, 4])}{due}}}")
    (base / "tasks.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--forecast", action="store_true",
                        help="estimates on a third of the tasks, one risk with a delay per campaign")
    parser.add_argument("--assets", type=int, default=0, help="assets in all, spread over the campaigns")
    args = parser.parse_args()
    generate(args.out, args.tasks, args.seed, args.forecast, assets=args.assets)
    print(f"wrote {args.out} ({args.tasks} tasks, {args.assets} assets)")


if __name__ == "__main__":
    main()
