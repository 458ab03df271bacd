"""The load test's report: times to interactive, latencies, errors, memory and kernels.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import statistics

from .._util import table
from .classroom import LoadResult

__all__ = []


# --------------------------------------------------------------------------- report


def _q(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def _s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def _dist(xs: list[float]) -> list[str]:
    if not xs:
        return ["–"] * 5
    return [str(len(xs)), _s(min(xs)), _s(statistics.median(xs)), _s(_q(xs, 0.95)), _s(max(xs))]


def report(res: LoadResult) -> str:
    ws = [v for v in res.visits if v.client == "ws" and v.trainee >= 0]
    br = [v for v in res.visits if v.client == "browser"]
    rows = [
        ["time to interactive (websocket client)", *_dist([v.tti_s for v in ws if v.tti_s is not None])],
        ["  page only (GET /voila/render/…)", *_dist([v.page_s for v in ws if v.page_s is not None and v.tti_s])],
        ["interaction (update → kernel idle)", *_dist([x for v in ws for x in v.latencies])],
    ]
    if br:
        rows += [
            ["time to interactive (chromium, drawn)", *_dist([v.tti_s for v in br if v.tti_s is not None])],
            ["probe (input → expected text drawn)", *_dist([x for v in br for x in v.latencies])],
        ]
    per_app = []
    for nb in sorted({v.notebook for v in res.visits if v.trainee >= 0}):
        t = [v.tti_s for v in res.visits if v.notebook == nb and v.tti_s is not None]
        n = sum(1 for v in res.visits if v.notebook == nb)
        per_app.append(
            [
                nb,
                str(n),
                _s(statistics.median(t)) if t else "–",
                _s(max(t)) if t else "–",
                str(sum(len(v.errors) for v in res.visits if v.notebook == nb)),
            ]
        )
    timeline = ", ".join(f"{t:.0f} s: {k}" for t, k in res_kernels(res))
    left: dict[str, int] = {}
    for v in res.visits:
        if v.left:
            left[v.left] = left.get(v.left, 0) + 1
    leaving = ", ".join(f"{n} × {k}" for k, n in sorted(left.items())) or "–"
    if any(k.startswith("beacon 403") for k in left):
        leaving += (
            " (the page's shutdown beacon is refused for want of an _xsrf cookie: those kernels stay until"
            " the idle culler takes them)"
        )
    errs = res.errors
    lines = [
        f"### Load: {res.trainees} trainees for {res.duration:.0f} s on one Voilà server",
        "",
        f"{len(res.visits)} visits by {len(res.reached_interactive())} of {res.trainees} trainees who reached an "
        f"interactive app; {sum(len(v.latencies) for v in res.visits)} interactions; "
        f"**errors: {len(errs)}**. Server ready with full pools in {res.ready_s:.0f} s; whole run {res.wall_s:.0f} s.",
        "",
        table(["measure", "n", "min", "median", "p95", "max"], rows),
        "",
        table(["notebook", "visits", "median TTI", "max TTI", "errors"], per_app),
        "",
        f"Peak memory (RSS, server + all kernels): **{res.peak_rss / 2**20:.0f} MiB** "
        f"(pools alone: {res.samples[0][1] / 2**20:.0f} MiB); peak kernels: {res.peak_kernels} "
        f"(pools: {res.pool_kernels}); kernels after the class left: {res.kernels_after}.",
        "",
        f"Kernels over time: {timeline}.",
        "",
        f'Leaving: {leaving}. Harmless kernel log lines (ipykernel 7 "No such comm" race): '
        f"{sum(v.benign for v in res.visits)}.",
    ]
    if errs:
        lines += ["", "Errors (first 10):", *[f"- {e}" for e in errs[:10]]]
    return "\n".join(lines)


def res_kernels(res: LoadResult) -> list[tuple[float, int]]:
    step = max(5.0, (res.samples[-1][0] if res.samples else 0) / 12)
    out, next_t = [], 0.0
    for t, _, k in res.samples:
        if t >= next_t:
            out.append((t, k))
            next_t = t + step
    if res.samples and out[-1][0] != res.samples[-1][0]:
        out.append((res.samples[-1][0], res.samples[-1][2]))
    return out


def report_at_once(res) -> str:
    """The report of :func:`bench.load.at_once.class_at_once` (one row per wave)."""
    how = "announced ahead (`itb/next`)" if res.announced else "not announced (one preheated kernel per app)"
    rows = []
    for w in res.waves:
        t = w.tti
        ws = [v for v in w.visits if v.trainee >= 0]
        pages = [v.page_s for v in ws if v.page_s is not None and v.tti_s]
        rows.append(
            [
                w.app,
                "–" if w.warm_s is None else _s(w.warm_s),
                f"{w.load_at_click:.1f}",
                f"{len(t)}/{len(ws)}",
                _s(statistics.median(t)) if t else "–",
                _s(_q(t, 0.95)) if t else "–",
                _s(max(t)) if t else "–",
                _s(_q(pages, 0.95)) if pages else "–",
                str(len(w.errors)),
                f"{w.peak_rss / 2**20:.0f} MiB",
                str(w.peak_kernels),
            ]
        )
    pools = [w for w in res.waves if w.pool_kernels > 0]
    per_kernel = (
        "; ".join(
            f"{w.app}: +{w.pool_kernels} kernels, +{w.pool_rss / 2**20:.0f} MiB "
            f"({w.pool_rss / 2**20 / w.pool_kernels:.0f} MiB each)"
            for w in pools
        )
        or "–"
    )
    capped = [f"{w.app} (status {w.status})" for w in res.waves if w.status and w.status.get("capped")]
    errs = res.errors
    lines = [
        f"### A class at once: {res.trainees} trainees open each app within {res.within:.0f} s, {how}",
        "",
        f"Waves {res.gap:.0f} s apart (click to click); server ready with full pools in {res.ready_s:.0f} s; "
        f"whole run {res.wall_s:.0f} s; server options: {' '.join(res.server_args) or '–'}; "
        f"**errors: {len(errs)}**.",
        "",
        table(
            [
                "app",
                "warm pool",
                "load at click",
                "interactive",
                "p50 TTI",
                "p95 TTI",
                "max TTI",
                "p95 page",
                "errors",
                "peak memory",
                "peak kernels",
            ],
            rows,
        ),
        "",
        f"Grown pools (RSS added when warm): {per_kernel}.",
        f"Peak memory (RSS, server + all kernels): **{res.peak_rss / 2**20:.0f} MiB**; peak kernels "
        f"{res.peak_kernels} (pools at rest: {res.pool_kernels}); kernels after the class left: {res.kernels_after}.",
        f"Kernels over time: {', '.join(f'{t:.0f} s: {k}' for t, k in res_kernels(res))}.",
    ]
    if capped:
        lines.append(f"Capped by the kernel cap: {'; '.join(capped)}.")
    if errs:
        lines += ["", "Errors (first 10):", *[f"- {e}" for e in errs[:10]]]
    return "\n".join(lines)
