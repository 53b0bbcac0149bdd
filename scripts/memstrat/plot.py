"""The charts of one or more results documents (scripts/plot): time relative
to the baseline (manual on glibc), pause percentiles and their distribution,
request latency, peak memory, memory timelines and a one-figure summary,
each as PNG and SVG; for a curve run, the collector's time against its
footprint (spacetime.py). Variant records (a strategy under other settings)
appear only in the curve figures. Every chart is a function returning a matplotlib
Figure. Strategies, their order and colours, the allocators' order, the
baseline and each record's reclaim kind come from the documents
(results.Catalogue); the summary's measures from measures.REGISTRY. See
scripts/plot --help."""

import argparse
import math
import os
import re
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib import ticker  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from memstrat import measures, results, spacetime  # noqa: E402
from memstrat.cli import UsageError, prepare_out_dir  # noqa: E402
from memstrat.measures import format_ns  # noqa: E402
from memstrat.metrics import (geomean, median_time_ms, mmu_curve,  # noqa: E402
                              peak_rss_bytes, reclaim_summary, repetition_times_ms)

PROG = "scripts/plot"

# The allocators' looks, by their place in the documents' order: the
# baseline allocator (the first) plain, the next hatched / hollow / dotted,
# and so on, the same in every chart.
ALLOCATOR_STYLES = ({"hatch": "", "filled": True, "line": "-"},
                    {"hatch": "///", "filled": False, "line": ":"},
                    {"hatch": "..", "filled": False, "line": "-."},
                    {"hatch": "xx", "filled": False, "line": "--"},
                    {"hatch": "\\\\", "filled": False, "line": (0, (3, 1, 1, 1, 1, 1))})
# What each pause kind is (the kinds are the probe's, docs/measurements.md).
PAUSE_KIND_NOTES = {"gc_stop_world": "stop-the-world collection",
                    "release": "delete, or a whole destructor cascade",
                    "epoch_end": "arena rewind"}
PERCENTILES = (("p50", "p50_ns"), ("p90", "p90_ns"), ("p99", "p99_ns"),
               ("p99.9", "p999_ns"), ("max", "max_ns"))
MIB = 1024 * 1024
PANEL_W, PANEL_H = 4.3, 3.3
MIN_WIDTH = 8.0
DPI = 130
GREY = "0.35"

matplotlib.rcParams.update({
    "font.size": 9, "axes.titlesize": 9.5, "axes.labelsize": 8.5,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8.5,
    "axes.spines.top": False, "axes.spines.right": False,
    "hatch.linewidth": 0.8,
    # Same input, same SVG: lets charts be compared or committed.
    "svg.hashsalt": "memstrat",
})




class Panel:
    """One benchmark configuration (workload and params) of one run: the
    records of its strategies on its allocators."""

    def __init__(self, workload, params, baseline):
        self.workload, self.params = workload, params
        self.baseline_pair = baseline
        self.records = {}   # (strategy, allocator) -> ok record
        self.failed = {}    # (strategy, allocator) -> failed record
        self.title = workload
        self.slug = workload

    def get(self, strategy, allocator):
        return self.records.get((strategy, allocator))

    def baseline(self):
        return self.get(*self.baseline_pair)


class Data:
    """Everything the charts draw, from one or more documents."""

    def __init__(self, docs):
        self.docs = docs
        self.catalogue = results.Catalogue([doc for _, doc in docs])
        self.baseline = self.catalogue.baseline
        self.panels = []
        self.failed = []   # (run index, record)
        self.not_applicable = []   # (run index, record): refused by design, no failure
        self.strategies = []
        self.allocators = []
        self.run_labels = [f"run {i + 1}: {_run_label(doc)}" for i, (_, doc) in enumerate(docs)]

    def footer(self):
        lines = []
        for i, (_, doc) in enumerate(self.docs):
            c = doc["context"]
            h, s = c["host"], c["settings"]
            prefix = f"run {i + 1}: " if len(self.docs) > 1 else ""
            lines.append(f"{prefix}host {h['name']} · {h['cpu_model']}, {h['cores']} cores · "
                         f"{_format_date(c['date'])} · git {c['git_revision']} · profile "
                         f"{c['profile']} ({s['size']} sizes, {s['repetitions']} "
                         f"repetitions" + (f" in {s['rounds']} rounds"
                                           if s.get("rounds", 1) > 1 else "")
                         + f", {s['probe_iterations']} probe iterations)")
        if self.failed:
            names = [f"{r['name']} on {r['allocator']} ({r['failure']['phase']}: "
                     f"{r['failure']['reason']})" if r.get("failure") else
                     f"{r['name']} on {r['allocator']}" for _, r in self.failed]
            shown = "; ".join(names[:4]) + (f"; and {len(names) - 4} more"
                                            if len(names) > 4 else "")
            lines.append(f"Not shown, failed ({len(names)}): {shown}")
        if self.not_applicable:
            names = [f"{r['name']} on {r['allocator']} ({r['failure']['reason']})"
                     if r.get("failure") else f"{r['name']} on {r['allocator']}"
                     for _, r in self.not_applicable]
            shown = "; ".join(names[:4]) + (f"; and {len(names) - 4} more"
                                            if len(names) > 4 else "")
            lines.append(f"Not applicable, not failures ({len(names)}): {shown}")
        return lines


def _format_date(date):
    return date[:16].replace("T", " ") + (" UTC" if date.endswith("+00:00") else "")


def _run_label(doc):
    c = doc["context"]
    return f"{c['host']['name']}, {_format_date(c['date'])}"


def _ordered(found, order):
    """The names found, in the catalogue's order."""
    return sorted(set(found), key=order)


def _params(record):
    """The record's params in the order its name gives them."""
    order = [part.split(":")[0] for part in record["name"].split("/")[2:]]
    return tuple(sorted(record["params"].items(),
                        key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


def gather(docs):
    """Data from [(path, document)], each document already validated.
    Records of the same benchmark in several documents become separate
    panels labelled by run; other records simply merge."""
    data = Data(docs)
    panels = {}
    first_seen = {}
    for run, (path, doc) in enumerate(docs):
        records = doc["records"]
        if not records:
            raise UsageError(f"{path} holds no records")
        if all(r["status"] != "ok" for r in records):
            r = records[0]
            why = f" ({r['failure']['phase']}: {r['failure']['reason']})" if r["failure"] else ""
            raise UsageError(f"{path}: all {len(records)} records failed, nothing to plot; "
                            f"first: {r['name']} on {r['allocator']}{why}")
        for r in records:
            if r.get("variant"):
                # The same strategy under other settings: only the curve
                # figures (spacetime) show it, not the charts that compare
                # strategies, where it would be a second bar of its strategy.
                continue
            config = results.work_key(r)
            first_seen.setdefault(config, len(first_seen))
            panel = panels.get((config, run))
            if panel is None:
                panel = panels[(config, run)] = Panel(r["workload"], _params(r),
                                                      data.baseline)
            if r["status"] == "ok":
                panel.records[(r["strategy"], r["allocator"])] = r
                data.strategies.append(r["strategy"])
                data.allocators.append(r["allocator"])
            elif r["status"] == "not_applicable":
                # Refused by its program by design: no failure.
                data.not_applicable.append((run, r))
            else:
                panel.failed[(r["strategy"], r["allocator"])] = r
                data.failed.append((run, r))
    data.strategies = _ordered(data.strategies, data.catalogue.order)
    data.allocators = _ordered(data.allocators, data.catalogue.allocator_order)
    ordered = sorted(panels.items(), key=lambda kv: (first_seen[kv[0][0]], kv[0][1]))
    params_per_workload = {}
    runs_per_config = {}
    for (config, run), _ in ordered:
        params_per_workload.setdefault(config[0], set()).add(config[1])
        runs_per_config.setdefault(config, set()).add(run)
    for (config, run), panel in ordered:
        if not panel.records:
            continue
        if panel.params:
            panel.title += " · " + ", ".join(f"{k} {v}" for k, v in panel.params)
        if len(params_per_workload[panel.workload]) > 1:
            panel.slug += "".join(f"_{k}{v}" for k, v in panel.params)
        if len(runs_per_config[config]) > 1:
            panel.title += f"\n{data.run_labels[run]}"
            panel.slug += f"_run{run + 1}"
        panel.slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", panel.slug)
        data.panels.append(panel)
    return data


# Styles -----------------------------------------------------------------

def colour(data, strategy):
    return data.catalogue.colour(strategy)


def allocator_style(data, allocator):
    """By the allocator's place in the documents' order, the baseline one
    first, so an allocator looks the same whichever others a run has."""
    cat = data.catalogue
    order = [cat.baseline_allocator] + [a for a in cat.allocators
                                        if a != cat.baseline_allocator]
    index = order.index(allocator) if allocator in order else len(order)
    if index == 0:
        return ALLOCATOR_STYLES[0]
    return ALLOCATOR_STYLES[1 + (index - 1) % (len(ALLOCATOR_STYLES) - 1)]


def reclaim_of(data, record):
    """The record's pause summary of its strategy's reclaim kind, or None."""
    return record and reclaim_summary(record, data.catalogue.reclaim_kind(record))


def reclaim_note(data):
    """'manual and raii: release (delete, ...), gc: gc_stop_world (...)': the
    reclaim kind of each strategy drawn, as the documents declare them."""
    kinds = {}
    for s in data.strategies:
        records = [r for p in data.panels for (rs, _), r in p.records.items() if rs == s]
        for kind in dict.fromkeys(data.catalogue.reclaim_kind(r) for r in records):
            kinds.setdefault(kind, []).append(s)
    parts = []
    for kind, names in kinds.items():
        who = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        what = PAUSE_KIND_NOTES.get(kind)
        parts.append(f"{who}: {kind}" + (f" ({what})" if what else ""))
    return ", ".join(parts)


def strategy_ticks(ax, labels):
    """One tick per strategy; slanted once there are more than a narrow panel
    can hold side by side (seven strategies' names overlapped)."""
    ax.set_xticks(range(len(labels)), labels)
    if len(labels) > 4:
        # Steeper for a dozen and more (every runtime of a run with the ports).
        for t in ax.get_xticklabels():
            t.set_rotation(35 if len(labels) <= 10 else 55)
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")


def bar_style(data, strategy, allocator):
    c, st = colour(data, strategy), allocator_style(data, allocator)
    return {"facecolor": c if st["filled"] else "white", "edgecolor": c,
            "hatch": st["hatch"] or None, "linewidth": 1.0}


def line_style(data, strategy, allocator):
    c, st = colour(data, strategy), allocator_style(data, allocator)
    return {"color": c, "linestyle": st["line"], "marker": "o", "markersize": 4.5,
            "markeredgecolor": c, "markerfacecolor": c if st["filled"] else "white",
            "linewidth": 1.4}


def strategy_handles(data, kind, strategies=None):
    handles = []
    for s in strategies or data.strategies:
        if kind == "bar":
            handles.append(Patch(facecolor=colour(data, s), edgecolor=colour(data, s), label=s))
        else:
            handles.append(Line2D([], [], color=colour(data, s), marker="o", markersize=4.5,
                                  linewidth=1.6, label=s))
    return handles


def allocator_handles(data, kind):
    handles = []
    for a in data.allocators:
        st = allocator_style(data, a)
        if kind == "bar":
            handles.append(Patch(facecolor=GREY if st["filled"] else "white", edgecolor=GREY,
                                 hatch=st["hatch"] or None,
                                 label=a + ("" if st["filled"] else " (hatched)")))
        else:
            handles.append(Line2D([], [], color=GREY, linestyle=st["line"], marker="o",
                                  markersize=4.5, markeredgecolor=GREY,
                                  markerfacecolor=GREY if st["filled"] else "white",
                                  label=a + ("" if st["filled"] else " (hollow, dotted)")))
    return handles


# Formatting -------------------------------------------------------------

def format_ratio(value):
    """'0.72×', '14.5×', and '0.000033×' rather than '0.00×' or '3.3e-05×'."""
    if value >= 10:
        return f"{value:.3g}×"
    if value >= 0.1:
        return f"{value:.2f}×"
    return np.format_float_positional(value, precision=2, unique=False,
                                      fractional=False, trim="-") + "×"


def _log_limits(values, pad=1.35):
    """Limits spanning whole decades, so that a log axis always shows at
    least two labelled ticks."""
    vals = [v for v in values if v and v > 0]
    if not vals:
        return None
    lo = 10 ** math.floor(math.log10(min(vals) / pad))
    hi = 10 ** math.ceil(math.log10(max(vals) * pad))
    return lo, hi


def log_duration_axis(axis, values):
    """A log axis of durations in ns, with unit-bearing ticks."""
    limits = _log_limits(values)
    getattr(axis.axes, f"set_{axis.axis_name}scale")("log")
    if limits:
        getattr(axis.axes, f"set_{axis.axis_name}lim")(*limits)
    axis.set_major_locator(ticker.LogLocator(base=10, numticks=12))
    axis.set_major_formatter(ticker.FuncFormatter(lambda v, _: format_ns(v)))
    axis.set_minor_formatter(ticker.NullFormatter())


def ratio_axis(ax, values):
    """A y axis of ratios to a baseline: log beyond a 10x spread."""
    vals = [v for v in values if v and v > 0] + [1.0]
    lo, hi = min(vals), max(vals)
    if hi / lo > 10:
        ax.set_yscale("log")
        # Room above and below for the values written on bars.
        ax.set_ylim(lo / 2, hi * 2)
        decades = math.log10(hi / lo)
        ax.yaxis.set_major_locator(ticker.LogLocator(
            base=10, subs=(1, 2, 5) if decades < 2.5 else (1,), numticks=15))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    else:
        ax.set_ylim(0, hi * 1.18)
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(
        lambda v, _: np.format_float_positional(v, precision=4, trim="-") + "×"))
    ax.axhline(1.0, color="0.35", linewidth=0.9, linestyle="--", zorder=0.5)


# Figure layout ----------------------------------------------------------

def new_figure(width, height):
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)  # a renderer, to measure legends before saving
    return fig


def grid(n, panel_w=PANEL_W, panel_h=PANEL_H, ncols_max=3):
    """A figure with n panels in rows of up to ncols_max; no spare axes."""
    ncols = min(n, ncols_max)
    nrows = math.ceil(n / ncols)
    fig = new_figure(max(ncols * panel_w, MIN_WIDTH), nrows * panel_h)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n:]:
        fig.delaxes(ax)
    return fig, list(axes[:n])


def finish(fig, data, title, notes, legends):
    """Adds the title, notes, legends (above the panels, never over them) and
    the run's footer, then lays the panels out in what is left."""
    width, panels_h = fig.get_size_inches()
    renderer = fig.canvas.get_renderer()
    note_lines = [l for n in notes for l in wrap(renderer, n, 8.5, width * 0.96)]
    footer_lines = [l for f in data.footer() for l in wrap(renderer, f, 7, width * 0.97)]
    def legend(handles, legend_title, ncol):
        return fig.legend(handles=handles, title=legend_title, loc="upper left",
                          ncol=ncol, frameon=False, handlelength=2.4,
                          columnspacing=1.3, title_fontsize=8.5)
    made = []
    for handles, legend_title in legends:
        ncol = len(handles)
        lg = legend(handles, legend_title, ncol)
        # A legend wider than the figure (many collectors' curves) folds
        # into rows.
        while ncol > 1 and lg.get_window_extent(renderer).width / fig.dpi > width * 0.96:
            lg.remove()
            ncol = (ncol + 1) // 2
            lg = legend(handles, legend_title, ncol)
        made.append(lg)
    sizes = [(lg.get_window_extent(renderer).width / fig.dpi,
              lg.get_window_extent(renderer).height / fig.dpi) for lg in made]
    side_by_side = sum(w for w, _ in sizes) + 0.4 < width * 0.96
    legends_h = (max((h for _, h in sizes), default=0) if side_by_side
                 else sum(h + 0.05 for _, h in sizes))
    top = 0.2 + 0.32 + 0.17 * len(note_lines) + legends_h + 0.25
    bottom = 0.15 + 0.14 * len(footer_lines)
    height = panels_h + top + bottom
    fig.set_size_inches(width, height)
    y = 1 - 0.2 / height
    fig.text(0.5, y, title, ha="center", va="top", fontsize=13, fontweight="bold")
    y -= 0.32 / height
    if note_lines:
        fig.text(0.5, y, "\n".join(note_lines), ha="center", va="top", fontsize=8.5,
                 color="0.2", linespacing=1.45)
        y -= (0.17 * len(note_lines) + 0.05) / height
    if side_by_side:
        # Centred as a group, a small gap between them.
        x = 0.5 - (sum(w for w, _ in sizes) + 0.4 * (len(made) - 1)) / 2 / width
        for lg, (w, _) in zip(made, sizes):
            lg.set_bbox_to_anchor((x, y), transform=fig.transFigure)
            x += (w + 0.4) / width
    else:
        for lg, (w, h) in zip(made, sizes):
            lg.set_bbox_to_anchor((0.5 - w / 2 / width, y), transform=fig.transFigure)
            y -= (h + 0.05) / height
    fig.text(0.01, 0.08 / height, "\n".join(footer_lines), ha="left", va="bottom",
             fontsize=7, color="0.3", linespacing=1.4)
    fig.tight_layout(rect=(0, bottom / height, 1, 1 - top / height), h_pad=1.6, w_pad=1.2)
    return fig


def wrap(renderer, text, fontsize, width_in):
    """text broken into lines no wider than width_in, measured as drawn."""
    prop = FontProperties(size=fontsize)
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        w = renderer.get_text_width_height_descent(trial, prop, ismath=False)[0]
        if line and w > width_in * renderer.dpi:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line]


def no_data(ax, text):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=8.5, color="0.3", wrap=True)
    ax.set_xticks([])
    ax.set_yticks([])


def ratio_bar(ax, x, ratio, width, style, gid):
    """A bar from the 1.0 line to ratio, its end marked so that a ratio of
    about 1 still shows."""
    ax.bar(x, ratio - 1.0, bottom=1.0, width=width, **style)[0].set_gid(gid)
    ax.plot([x - width / 2, x + width / 2], [ratio, ratio], color=style["edgecolor"],
            linewidth=2.2, solid_capstyle="butt", zorder=2.5)


# Values -----------------------------------------------------------------

def slots(data):
    """(strategy, allocator, x, width) of each bar in a panel: strategies on
    x, allocators side by side within each."""
    n = len(data.allocators)
    width = 0.8 / n
    for i, s in enumerate(data.strategies):
        for j, a in enumerate(data.allocators):
            yield s, a, i + (j - (n - 1) / 2) * width, width


# Charts -----------------------------------------------------------------

def time_figure(data):
    """Median real time of each strategy x allocator relative to the
    baseline (manual on glibc), one panel per workload, whiskers from the
    fastest to the slowest repetition. None if no workload has that
    baseline."""
    if not any(p.baseline() and median_time_ms(p.baseline())
               for p in data.panels):
        return None
    on = data.catalogue.baseline_label()
    fig, axes = grid(len(data.panels))
    for ax, panel in zip(axes, data.panels):
        base = panel.baseline() and median_time_ms(panel.baseline())
        if not base:
            ax.set_title(panel.title)
            no_data(ax, f"no baseline:\n{on} is missing or failed")
            continue
        values = []
        for s, a, x, w in slots(data):
            r = panel.get(s, a)
            if r is None:
                if (s, a) in panel.failed:
                    ax.text(x, 0.5, "failed", rotation=90, ha="center", va="bottom",
                            fontsize=7, color="0.3", transform=ax.get_xaxis_transform())
                continue
            median = median_time_ms(r)
            if median is None:
                continue
            ratio = median / base
            reps = repetition_times_ms(r) or [median]
            lo, hi = min(reps) / base, max(reps) / base
            ratio_bar(ax, x, ratio, w * 0.92, bar_style(data, s, a), f"{s}/{a}")
            ax.errorbar(x, ratio, yerr=[[max(ratio - lo, 0)], [max(hi - ratio, 0)]],
                        fmt="none", ecolor="0.15", elinewidth=0.9, capsize=2.5, zorder=3)
            values += [ratio, lo, hi]
        ratio_axis(ax, values)
        strategy_ticks(ax, data.strategies)
        ax.set_title(f"{panel.title}\n{on}: {format_ns(base * 1e6, 3)} per run")
        ax.set_ylabel(f"real time ÷ {on}")
        ax.set_xlabel("strategy")
    base_s, base_a = data.baseline
    return finish(fig, data, f"Run time relative to {on} (lower is faster)",
                  ["Bars: median wall-clock time of one run of the workload (Google "
                   f"Benchmark real_time), divided by {base_s}'s on {base_a} (the dashed "
                   "1.0 line). Whiskers: fastest and slowest repetition."],
                  [(strategy_handles(data, "bar"), "strategy"),
                   (allocator_handles(data, "bar"), "allocator")])


def _percentile_lines(ax, data, series):
    """Draws [(strategy, allocator, summary)] as dodged lines across the
    percentile categories; returns the values drawn."""
    n = len(series)
    values = []
    for k, (s, a, summary) in enumerate(series):
        xs = [i + (k - (n - 1) / 2) * 0.07 for i in range(len(PERCENTILES))]
        ys = [summary[key] for _, key in PERCENTILES]
        line, = ax.plot(xs, ys, **line_style(data, s, a))
        line.set_gid(f"{s}/{a}")
        values += ys
    ax.set_xticks(range(len(PERCENTILES)), [p for p, _ in PERCENTILES])
    ax.set_xlim(-0.5, len(PERCENTILES) - 0.5)
    ax.grid(axis="y", which="major", color="0.88", linewidth=0.7)
    return values


def pauses_figure(data):
    """Pause percentiles of each strategy's reclaim kind, one panel per
    workload, log y. None if no record has such pauses."""
    if not any(reclaim_of(data, r) for p in data.panels for r in p.records.values()):
        return None
    fig, axes = grid(len(data.panels))
    for ax, panel in zip(axes, data.panels):
        series = [(s, a, reclaim_of(data, panel.get(s, a)))
                  for s in data.strategies for a in data.allocators
                  if reclaim_of(data, panel.get(s, a))]
        none = [(s, a) for (s, a), r in panel.records.items() if not reclaim_of(data, r)]
        ax.set_title(panel.title + (f"\nno reclaim pause: {_who(data, none)}" if none else ""))
        if not series:
            no_data(ax, "no pauses recorded")
            continue
        values = _percentile_lines(ax, data, series)
        log_duration_axis(ax.yaxis, values)
        ax.set_ylabel("pause duration (log scale)")
        ax.set_xlabel("percentile of the strategy's pauses")
    return finish(fig, data, "Pause percentiles by strategy",
                  ["Each strategy's own way of reclaiming memory, timed per event: "
                   + reclaim_note(data) + ". Kinds with no events are left out.",
                   "Percentiles from a log-linear histogram (within 0.8%); about 20 ns "
                   "is the timer's own floor."],
                  [(strategy_handles(data, "line"), "strategy"),
                   (allocator_handles(data, "line"), "allocator")])


def _who(data, pairs):
    """[(strategy, allocator)] as 'gc, arena (mimalloc)': a strategy alone
    when every allocator is in the list."""
    out = []
    for s in data.strategies:
        allocs = [a for a in data.allocators if (s, a) in pairs]
        if allocs:
            out.append(s if len(allocs) == len(data.allocators)
                       else f"{s} ({'/'.join(allocs)})")
    return ", ".join(out)


def _corner_note(ax, text):
    """Small grey text in the lower left corner, kept out of the layout so
    that it never shrinks the panel."""
    ax.text(0.02, 0.03, text, transform=ax.transAxes, fontsize=6.5, color="0.3",
            va="bottom", wrap=True).set_in_layout(False)


def pause_cdf_figure(data):
    """Survival curves of the raw pause events (those at or above the
    events threshold) per strategy x allocator, one panel per workload,
    log-log, same duration axis in every panel. None if no record kept
    any event."""
    kept = [(panel, s, a, panel.get(s, a)["probe"]["pauses"])
            for panel in data.panels for s in data.strategies for a in data.allocators
            if panel.get(s, a) and panel.get(s, a).get("probe")]
    if not any(pauses["events"] for *_, pauses in kept):
        return None
    thresholds = sorted({pauses["events_threshold_ns"] for *_, pauses in kept})
    overflow = sum(pauses["events_overflow"] for *_, pauses in kept)
    all_durations = [e["duration_ns"] for *_, pauses in kept for e in pauses["events"]]
    fig, axes = grid(len(data.panels))
    for ax, panel in zip(axes, data.panels):
        ax.set_title(panel.title)
        shares, without = [], []
        for p, s, a, pauses in kept:
            if p is not panel:
                continue
            events = sorted(e["duration_ns"] for e in pauses["events"])
            if not events:
                without.append((s, a))
                continue
            # Every pause of every kind is counted, so the curve is the true
            # share at or above x wherever x is at or above the threshold.
            total = sum(k["count"] for k in pauses["kinds"].values())
            total = max(total, len(events) + pauses["events_overflow"])
            ys = [(len(events) - i) / total for i in range(len(events))]
            shares += ys
            line, = ax.step(events, ys, where="pre", markevery=max(1, len(events) // 10),
                            **line_style(data, s, a))
            line.set_gid(f"{s}/{a}")
        log_duration_axis(ax.xaxis, all_durations + thresholds)
        for t in thresholds:
            ax.axvline(t, color="0.4", linewidth=0.8, linestyle=(0, (1, 2)), zorder=1)
        ax.set_xlabel("pause duration x (log scale)")
        if not shares:
            ax.set_yticks([])
            no_data(ax, f"no pause of {format_ns(thresholds[0])} or more")
            continue
        ax.set_yscale("log")
        ax.set_ylim(*_log_limits(shares, pad=1.2))
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10, numticks=12))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(
            lambda v, _: np.format_float_positional(float(f"{v * 100:.3g}"), trim="-") + "%"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_ylabel("share of pauses ≥ x")
        ax.grid(which="major", color="0.9", linewidth=0.7)
        if without:
            _corner_note(ax, f"none ≥ {format_ns(thresholds[0])}: {_who(data, without)}")
    threshold = ", ".join(format_ns(t) for t in thresholds)
    kinds = ", ".join(dict.fromkeys(k for *_, pauses in kept for k in pauses["kinds"]))
    notes = [f"Every timed pause of every kind ({kinds}), so a GC "
             "pause sits beside a destructor cascade and an arena rewind. The share is of "
             f"all the pauses the probe timed; only those of {threshold} or more are kept "
             "one by one (dotted line), so the curves start there."]
    if overflow:
        notes.append(f"{overflow} events were beyond the 65,536 kept: the curves "
                     "undercount the longest pauses of those runs.")
    return finish(fig, data, "How often pauses reach a given length", notes,
                  [(strategy_handles(data, "line"), "strategy"),
                   (allocator_handles(data, "line"), "allocator")])


LATENCY_MODES = (("simple", "simple"), ("metered_100ms", "metered, 100 ms smoothing"),
                 ("metered_full", "metered, full smoothing"))


def latency_figure(data):
    """Request latency percentiles, simple and metered (100 ms and full
    smoothing), for the workloads whose records have probe.latency. None if
    none has."""
    panels = [p for p in data.panels
              if any(r.get("probe") and r["probe"]["latency"] for r in p.records.values())]
    if not panels:
        return None
    fig = new_figure(max(3 * PANEL_W, MIN_WIDTH), len(panels) * PANEL_H)
    rows = fig.subplots(len(panels), len(LATENCY_MODES), squeeze=False, sharey="row")
    for axes, panel in zip(rows, panels):
        values = []
        for ax, (mode, label) in zip(axes, LATENCY_MODES):
            series = []
            for s in data.strategies:
                for a in data.allocators:
                    r = panel.get(s, a)
                    latency = r and r.get("probe") and r["probe"]["latency"]
                    if latency and latency[mode]["count"] > 0:
                        series.append((s, a, latency[mode]))
            values += _percentile_lines(ax, data, series)
            ax.set_title(f"{panel.title}\n{label}")
            ax.set_xlabel("percentile of the requests")
            ax.tick_params(labelleft=True)
        log_duration_axis(axes[0].yaxis, values)
        axes[0].set_ylabel("request latency (log scale)")
    return finish(fig, data, "Request latency by strategy",
                  ["simple: each request's own service time. metered (DaCapo Chopin's "
                   "definition): each request gets a synthetic start, the starts of the "
                   "requests in a window around it spread evenly over the window, and its "
                   "latency is the longer of its service time and its end minus that start, "
                   "so a pause also delays the requests behind it (what a client sees). "
                   "Windows of 100 ms and of the whole run."],
                  [(strategy_handles(data, "line"), "strategy"),
                   (allocator_handles(data, "line"), "allocator")])


MMU_SOURCES = (("stalls", "from stalls (gaps between units of work)"),
               ("pauses", "from the strategy's own pauses"))


def mmu_figure(data):
    """Minimum mutator utilisation against window length, from the stall
    events and from the pause events, one row per workload. None if no
    record has a probe."""
    panels = [p for p in data.panels if any(r.get("probe") for r in p.records.values())]
    if not panels:
        return None
    fig = new_figure(max(2 * PANEL_W, MIN_WIDTH), len(panels) * PANEL_H)
    rows = fig.subplots(len(panels), len(MMU_SOURCES), squeeze=False, sharey=True)
    for axes, panel in zip(rows, panels):
        for ax, (source, label) in zip(axes, MMU_SOURCES):
            drawn = 0
            for s in data.strategies:
                for a in data.allocators:
                    r = panel.get(s, a)
                    curve = r and r.get("probe") and mmu_curve(r, source)
                    if not curve:
                        continue
                    style = dict(line_style(data, s, a), markersize=3.5)
                    line, = ax.plot([w for w, _ in curve], [u for _, u in curve], **style)
                    line.set_gid(f"{s}/{a}")
                    drawn += 1
            ax.set_title(f"{panel.title}\n{label}")
            if not drawn:
                no_data(ax, "no events recorded")
                continue
            log_duration_axis(ax.xaxis, [1e6, 1e9])
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel("window (log scale)")
            ax.set_ylabel("minimum mutator utilisation")
            ax.grid(color="0.9", linewidth=0.7)
    return finish(fig, data, "Minimum mutator utilisation (MMU)",
                  ["For a window length w, the smallest share of any window of w within "
                   "the probe's measured runs that was free of stalls (left) or of the "
                   "strategy's own timed pauses of 10 µs or more (right); Cheng & Blelloch, "
                   "PLDI 2001. 1 is never interrupted; median over the probe's rounds. "
                   "Windows longer than the run are left out."],
                  [(strategy_handles(data, "line"), "strategy"),
                   (allocator_handles(data, "line"), "allocator")])


def memory_figure(data):
    """Peak RSS in MiB per strategy x allocator, one panel per workload.
    None if no record has a probe."""
    if not any(peak_rss_bytes(r) for p in data.panels for r in p.records.values()):
        return None
    fig, axes = grid(len(data.panels))
    for ax, panel in zip(axes, data.panels):
        top = 0
        for s, a, x, w in slots(data):
            r = panel.get(s, a)
            peak = r and peak_rss_bytes(r)
            if not peak:
                if (s, a) in panel.failed:
                    ax.text(x, 0.02, "failed", rotation=90, ha="center", va="bottom",
                            fontsize=7, color="0.3", transform=ax.get_xaxis_transform())
                continue
            bar = ax.bar(x, peak / MIB, width=w * 0.92, **bar_style(data, s, a))[0]
            bar.set_gid(f"{s}/{a}")
            base = r["probe"]["memory"]["baseline_rss_bytes"] / MIB
            ax.plot([x - w * 0.46, x + w * 0.46], [base, base], color="black",
                    linewidth=1.6, solid_capstyle="butt", zorder=3)
            top = max(top, peak / MIB)
        ax.set_ylim(0, top * 1.12 or 1)
        strategy_ticks(ax, data.strategies)
        ax.set_title(panel.title)
        ax.set_ylabel("peak RSS (MiB)")
        ax.set_xlabel("strategy")
        ax.grid(axis="y", color="0.9", linewidth=0.7)
        ax.set_axisbelow(True)
    fixed = Line2D([], [], color="black", linewidth=1.6, label="RSS before the runs")
    return finish(fig, data, "Peak memory (resident set) by strategy",
                  ["Bars: peak RSS (VmHWM) over the probe's measured runs, in MiB. The "
                   "black mark is the process's RSS just before them (binary, libraries, "
                   "the warm-up's heap), which the peak includes."],
                  [(strategy_handles(data, "bar"), "strategy"),
                   (allocator_handles(data, "bar") + [fixed], "allocator")])


def timeline_figures(data):
    """[(panel, Figure)]: the memory timeline of every strategy over the
    probe run of each workload, on the baseline allocator (glibc; or the
    first allocator there is)."""
    figures = []
    for panel in data.panels:
        allocator = next((a for a in data.allocators
                          if any(panel.get(s, a) for s in data.strategies)), None)
        if allocator is None:
            continue
        fig = new_figure(MIN_WIDTH + 1, 4.2)
        ax = fig.subplots()
        labels, empty, period, span = {}, [], set(), 0
        for i, s in enumerate(data.strategies):
            r = panel.get(s, allocator)
            if not r or not r.get("probe"):
                continue
            tl = r["probe"]["memory"]["timeline"]
            period.add(tl["period_ms"])
            if not tl["t_ms"]:
                empty.append(s)
                continue
            span = max(span, max(tl["t_ms"]))
            # Strategies often share an RSS curve: each is drawn wider than
            # the next one on top of it, so that none hides another.
            style = {"color": colour(data, s), "linewidth": 1.3 + 0.7 * (
                len(data.strategies) - 1 - i), "marker": "o" if len(tl["t_ms"]) <= 40
                else None, "markersize": 3}
            line, = ax.plot(tl["t_ms"], [b / MIB for b in tl["rss_bytes"]], **style)
            line.set_gid(f"{s}/rss")
            if tl["strategy_bytes"]:
                line, = ax.plot(tl["t_ms"], [b / MIB for b in tl["strategy_bytes"]],
                                linestyle="--", **style)
                line.set_gid(f"{s}/{tl['strategy_bytes_label']}")
                labels[s] = tl["strategy_bytes_label"]
        ax.set_xlabel("time since sampling started (ms)")
        ax.set_ylabel("memory (MiB)")
        ax.set_ylim(bottom=0)
        # At least one sample period wide, so that a lone sample at 0 ms
        # does not zoom the axis into microseconds.
        span = max([span, *period])
        ax.set_xlim(-0.02 * span, 1.03 * span)
        ax.grid(color="0.9", linewidth=0.7)
        ax.set_title(f"{panel.title} · {allocator}")
        if empty:
            no_samples = (f"No sample for {', '.join(empty)}: the run was shorter than "
                          f"the {'/'.join(str(p) for p in sorted(period))} ms sample "
                          "period.")
            if len(empty) == len([s for s in data.strategies if panel.get(s, allocator)]):
                no_data(ax, no_samples)
        styles = [Line2D([], [], color=GREY, linewidth=1.5, label="RSS (VmRSS)")]
        styles += [Line2D([], [], color=GREY, linestyle="--", linewidth=1.5,
                          label=f"{lbl} ({s})") for s, lbl in labels.items()]
        own = ", ".join(f"{lbl} under {s}" for s, lbl in labels.items())
        notes = [f"RSS sampled every {'/'.join(str(p) for p in sorted(period))} ms during "
                 "the probe run (warm-up, then the measured runs), solid"
                 + (f"; dashed: the strategy's own figure ({own})" if own else "")
                 + ". Where lines coincide, the "
                 "wider one underneath is the strategy listed first."]
        if empty:
            notes.append(no_samples)
        present = [s for s in data.strategies if panel.get(s, allocator)]
        figures.append((panel, finish(fig, data, "Memory over the probe run", notes,
                                      [(strategy_handles(data, "line", present), "strategy"),
                                       (styles, "line style")])))
    return figures


def summary_values(data):
    """{measure key: {strategy: (geometric mean of ratio to the baseline's,
    workloads)}} over the panels, for the summary's measures of the
    registry, on the baseline allocator only."""
    cat = data.catalogue
    out = {}
    for m in measures.summarised():
        per = {}
        for s in data.strategies:
            ratios = []
            for panel in data.panels:
                base, r = panel.baseline(), panel.get(s, cat.baseline_allocator)
                b, v = base and m.value(base, cat), r and m.value(r, cat)
                if b and v:
                    ratios.append(v / b)
            if ratios:
                per[s] = (geomean(ratios), len(ratios))
        out[m.key] = per
    return out


def summary_figure(data):
    """Each summary measure of the registry (time, worst pause, peak memory)
    of each strategy relative to the baseline's (geometric mean over
    workloads, on the baseline allocator), one panel per measure. None
    without a baseline record."""
    values = summary_values(data)
    if not any(values.values()):
        return None
    shown = measures.summarised()
    base_s, base_a = data.baseline
    # Wider panels for many strategies, so their bars and labels do not meet.
    fig, axes = grid(len(shown), panel_w=max(3.4, 0.36 * len(data.strategies)), panel_h=3.6)
    n_panels = len(data.panels)
    for ax, m in zip(axes, shown):
        per = values[m.key]
        strategies = [s for s in data.strategies if s in per]
        if not strategies:
            ax.set_title(m.label)
            no_data(ax, "no data")
            continue
        ratios = [per[s][0] for s in strategies]
        ratio_axis(ax, ratios)
        for i, s in enumerate(strategies):
            v, n = per[s]
            ratio_bar(ax, i, v, 0.66, bar_style(data, s, base_a), s)
            ax.annotate(format_ratio(v), (i, v), xytext=(0, 3 if v >= 1 else -3),
                        textcoords="offset points", ha="center",
                        va="bottom" if v >= 1 else "top",
                        fontsize=8.5 if len(strategies) <= 10 else 7, fontweight="bold")
        strategy_ticks(ax, [s if per[s][1] == n_panels else f"{s} ({per[s][1]} of {n_panels})"
                            for s in strategies])
        ax.set_title(m.label + ("" if m.lower_is_better else " (higher is better)"))
        ax.set_ylabel(f"{m.label} ÷ {base_s}'s")
    workloads = f"{n_panels} workload{'s' if n_panels != 1 else ''}"
    lower = all(m.lower_is_better for m in shown)
    notes = [f"Geometric mean over {workloads} on {base_a} of each measure divided by "
             f"{base_s}'s (dashed 1.0 line{'; lower is better' if lower else ''}). "
             + "; ".join(f"{m.label}: {m.describe}" for m in shown)
             + ". Each strategy's reclaim pauses: " + reclaim_note(data) + "."]
    if any(n < n_panels for per in values.values() for _, n in per.values()):
        notes.append(f"'(k of {n_panels})' after a name: the measure exists for that strategy "
                     f"and for {base_s} in only k workloads.")
    return finish(fig, data, f"Each strategy against {base_s}", notes,
                  [(strategy_handles(data, "bar", [s for s in data.strategies
                                                   if any(s in v for v in values.values())]),
                    "strategy")])


# The space-time curve ----------------------------------------------------

VARIANT_MARKERS = ("^", "D", "v", "P", "X", "h", "<", ">")
SWEEP_STYLES = (("--", "s"), (":", "d"), ("-.", "p"))


def curve_panels(data):
    """[(title, slug, [Curve])] of every document's curves, one panel per
    work (every collector's curve of it on the same axes, in the same
    units), titled and named as the other charts' panels are (a run's label
    where several runs hold the same benchmark)."""
    found = {}
    for run, (_, doc) in enumerate(data.docs):
        for c in spacetime.curves(doc):
            found.setdefault((run, c.workload, c.params), []).append(c)
    runs = {}
    for run, w, params in found:
        runs.setdefault((w, params), set()).add(run)
    out = []
    for (run, workload, params), cs in found.items():
        title = cs[0].title
        slug = workload + "".join(f"_{k}{v}" for k, v in params
                                  if len({p for w, p in runs if w == workload}) > 1)
        if len(runs[(workload, params)]) > 1:
            title += f"\n{data.run_labels[run]}"
            slug += f"_run{run + 1}"
        out.append((title, re.sub(r"[^A-Za-z0-9_.-]+", "_", slug), cs))
    return out


# Tick sets for a log axis of ratios, coarse to fine (mantissas of each
# decade): the finest one that fits is used.
RATIO_TICK_SETS = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7),
                   (1, 1.1, 1.2, 1.3, 1.5, 1.7, 2, 2.5, 3, 4, 5, 7))


def ratio_ticks(lo, hi, most=9):
    """Ratios worth a labelled tick on a log axis from lo to hi: decades,
    then 1-2-5, then finer where the span is narrow; at most `most`."""
    chosen = []
    for mantissas in RATIO_TICK_SETS:
        ticks = sorted({round(m * 10 ** e, 6) for e in range(-4, 5) for m in mantissas})
        inside = [t for t in ticks if lo <= t <= hi]
        if len(inside) > most and chosen:
            break
        chosen = inside
    return chosen


def _ratio_formatter():
    return ticker.FuncFormatter(lambda v, _: np.format_float_positional(
        float(f"{v:.3g}"), trim="-") + "×")


def draw_curve(ax, data, curve, annotate=True):
    """One workload's curves on ax (a Curve, or a list of them: several
    collectors' on the same axes); returns the points that did not run
    (failed, or not applicable)."""
    curve_list = curve if isinstance(curve, list) else [curve]
    placed = [cv for cv in curve_list if cv.placed()]
    several = len(placed) > 1
    xs, ys = [1.0], [1.0]
    for cv in placed:
        x, y = _draw_series(ax, data, cv, annotate, f"{cv.strategy}/" if several else "",
                            several)
        xs += x
        ys += y
    mine = {cv.strategy for cv in curve_list}
    others = {}
    for cv in curve_list:
        for s, r, t, f in cv.others:
            if s not in mine:
                others.setdefault(s, (s, r, t, f))
    failed = [p for cv in curve_list for p in cv.points if not p.ok]
    _draw_frame(ax, data, xs, ys, list(others.values()), failed, several)
    return failed


def _draw_series(ax, data, curve, annotate, prefix, several):
    """A curve's series, defaults and ring; returns their (xs, ys). With
    several collectors on the axes, only the ends of a heap series are
    labelled."""
    c = colour(data, curve.strategy)
    xs, ys = [], []
    for s in curve.series:
        pts = [p for p in s.points if p.placed]
        if not pts:
            continue
        if s.kind == "heap":
            line, = ax.plot([p.footprint_ratio for p in pts], [p.time_ratio for p in pts],
                            color=c, marker="o", markersize=5, linewidth=1.8, zorder=3)
            line.set_gid(prefix + "heap")
            labels = [spacetime.fmt_multiple(p.value) for p in pts]
            if several:
                labels = [t if i in (0, len(pts) - 1) else "" for i, t in enumerate(labels)]
        elif s.kind == "sweep":
            k = [x for x in curve.series if x.kind == "sweep"].index(s)
            style, marker = SWEEP_STYLES[k % len(SWEEP_STYLES)]
            line, = ax.plot([p.footprint_ratio for p in pts], [p.time_ratio for p in pts],
                            color=c, linestyle=style, marker=marker, markersize=4.5,
                            markerfacecolor="white", linewidth=1.2, zorder=3)
            line.set_gid(f"{prefix}sweep/{s.name}")
            labels = [f"{p.value:g}" for p in pts]
        else:
            k = [x for x in curve.series if x.kind == "variant"].index(s)
            line, = ax.plot([p.footprint_ratio for p in pts], [p.time_ratio for p in pts],
                            linestyle="none", marker=VARIANT_MARKERS[k % len(VARIANT_MARKERS)],
                            markersize=7, color=c, markerfacecolor="white", zorder=4)
            line.set_gid(f"{prefix}variant/{s.name}")
            labels = [p.label for p in pts]
        if annotate:
            # Heap multiples below right of their points, sweep values above
            # left, variants right: where the series cross, their labels
            # fall apart.
            offset, ha, va = {"heap": ((4, -3), "left", "top"),
                              "sweep": ((-4, 3), "right", "bottom")}.get(
                                  s.kind, ((6, 0), "left", "center"))
            for p, text in zip(pts, labels):
                if not text:
                    continue
                ax.annotate(text, (p.footprint_ratio, p.time_ratio), xytext=offset,
                            textcoords="offset points", fontsize=6.5, ha=ha, va=va,
                            color="0.1" if s.kind == "heap" else "0.35")
        xs += [p.footprint_ratio for p in pts]
        ys += [p.time_ratio for p in pts]
    plain = curve.plain
    if plain and plain.placed:
        line, = ax.plot([plain.footprint_ratio], [plain.time_ratio], linestyle="none",
                        marker="*", markersize=12, color=c, markeredgecolor="black",
                        markeredgewidth=0.6, zorder=5)
        line.set_gid(prefix + "plain")
        xs.append(plain.footprint_ratio)
        ys.append(plain.time_ratio)
    hit, _ = spacetime.within(curve)
    if hit:
        ax.plot([hit.footprint_ratio], [hit.time_ratio], linestyle="none", marker="o",
                markersize=13, markerfacecolor="none", markeredgecolor="black",
                markeredgewidth=1.0, zorder=6)[0].set_gid(prefix + "within")
    return xs, ys


def _draw_frame(ax, data, xs, ys, others, failed, several):
    """The baseline, the other strategies' points, the +10% line, the axes
    and the note of the points that did not run."""
    cat = data.catalogue
    ax.plot([1.0], [1.0], linestyle="none", marker="o", markersize=6,
            color=colour(data, cat.baseline_strategy), markeredgecolor="black",
            markeredgewidth=0.6,
            zorder=5)[0].set_gid(cat.baseline_strategy)
    for s, _, t, f in others:
        if t is None or f is None:
            continue
        ax.plot([f], [t], linestyle="none", marker="o", markersize=5.5,
                color=colour(data, s), markeredgecolor="white", markeredgewidth=0.5,
                zorder=4)[0].set_gid(s)
        xs.append(f)
        ys.append(t)
    ax.axhline(1.0, color="0.35", linewidth=0.9, linestyle="--", zorder=0.5)
    ax.axhline(1 + spacetime.TOLERANCE, color="0.35", linewidth=0.8, linestyle=":",
               zorder=0.5)
    ax.text(1.0, 1 + spacetime.TOLERANCE, f"+{spacetime.TOLERANCE:.0%} ", fontsize=6.5,
            color="0.3", ha="right", va="bottom", transform=ax.get_yaxis_transform())
    ax.set_xscale("log")
    lo, hi = min(xs) / 1.08, max(xs) * 1.15
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(ticker.FixedLocator(ratio_ticks(lo, hi)))
    ax.xaxis.set_major_formatter(_ratio_formatter())
    ax.xaxis.set_minor_formatter(ticker.NullFormatter())
    ylo, yhi = min(ys), max(ys)
    if yhi / ylo > 10:
        ax.set_yscale("log")
        ax.set_ylim(ylo / 1.3, yhi * 1.3)
        ax.yaxis.set_major_locator(ticker.FixedLocator(ratio_ticks(ylo / 1.3, yhi * 1.3)))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
    else:
        pad = (yhi - ylo) * 0.08 or 0.1
        ax.set_ylim(max(0, ylo - pad), yhi + pad * 1.5)
    ax.yaxis.set_major_formatter(_ratio_formatter())
    ax.grid(color="0.92", linewidth=0.7)
    base_s, base_a = cat.baseline
    ax.set_xlabel(f"peak RSS ÷ {base_s}'s on {base_a} (log scale)")
    ax.set_ylabel(f"time ÷ {base_s}'s on {base_a}")
    if failed:
        who = (lambda p: p.name()) if several else (lambda p: p.label)
        na = [p for p in failed if not p.applicable]
        bad = [p for p in failed if p.applicable]
        text = []
        # With several collectors the reasons are in the notes: names only.
        if bad:
            text.append("failed: " + "; ".join(
                who(p) if several else f"{who(p)} ({p.reason})" for p in bad[:6])
                + (f"; and {len(bad) - 6} more" if len(bad) > 6 else ""))
        if na:
            text.append("not applicable: " + "; ".join(
                who(p) if several else f"{who(p)} ({p.reason.split(': ', 1)[-1]})"
                for p in na[:4]) + (f"; and {len(na) - 4} more" if len(na) > 4 else ""))
        if several:
            import textwrap
            text = [textwrap.fill(t, 70) for t in text]
        _corner_note(ax, "\n".join(text))


def _curve_legends(data, panels):
    curve_list = [c for _, _, cs in panels for c in cs if c.placed()]
    strategies = list(dict.fromkeys(c.strategy for c in curve_list))
    several = len(strategies) > 1
    handles, points = [], []
    seen = {}
    for cv in curve_list:
        for s in cv.series:
            seen.setdefault((s.kind, s.name), s)
    sweeps = [s for (k, _), s in seen.items() if k == "sweep"]
    variants = [s for (k, _), s in seen.items() if k == "variant"]
    # One collector: its own colour throughout; several: a heap line per
    # collector in its colour, the settings' markers in grey.
    neutral = "0.45" if several else colour(data, strategies[0])
    for st in strategies:
        if any(s.kind == "heap" for cv in curve_list if cv.strategy == st for s in cv.series):
            handles.append(Line2D([], [], color=colour(data, st), marker="o", markersize=5,
                                  linewidth=1.8,
                                  label=f"{st}: heap multiples" if several
                                  else "heap multiples"))
    for k, s in enumerate(sweeps):
        style, marker = SWEEP_STYLES[k % len(SWEEP_STYLES)]
        handles.append(Line2D([], [], color=neutral, linestyle=style, marker=marker,
                              markerfacecolor="white", label=f"{s.label} (uncapped)"))
    for k, s in enumerate(variants):
        points.append(Line2D([], [], linestyle="none", color=neutral, markerfacecolor="white",
                              marker=VARIANT_MARKERS[k % len(VARIANT_MARKERS)],
                              markersize=7, label=s.label))
    points.append(Line2D([], [], linestyle="none", marker="*", markersize=11, color=neutral,
                         markeredgecolor="black", markeredgewidth=0.6, label="defaults"))
    if any(spacetime.within(cv)[0] for cv in curve_list):
        points.append(Line2D([], [], linestyle="none", marker="o", markersize=11,
                              markerfacecolor="none", markeredgecolor="black",
                              label=f"first within {spacetime.TOLERANCE:.0%}"))
    others = [data.catalogue.baseline_strategy] + [
        s for s in data.catalogue.strategies if s not in strategies
        and any(s == o for cv in curve_list for o, *_ in cv.others)]
    who = "collectors" if several else strategies[0]
    legends = [(handles, f"{who}: curves"), (points, f"{who}: settings"),
               (strategy_handles(data, "line", list(dict.fromkeys(others))), "strategy")]
    return [(h, t) for h, t in legends if h]


def _curve_notes(data, panels):
    cat = data.catalogue
    base_s, base_a = cat.baseline
    notes = [f"Each point: median wall-clock time of one run (y) and median peak RSS over "
             f"the probe's rounds (x), both divided by {base_s}'s on {base_a}. The "
             "collector's heap multiples are of its heap unit (the smallest heap every trial "
             "completed in), the heap pre-sized to the cap where the strategy declares a "
             "pre-size flag; its sweeps run uncapped, each through the record at its "
             "defaults. Dashed: the baseline's time; dotted: "
             f"{spacetime.TOLERANCE:.0%} above it. Records on {cat.baseline_allocator} only."]
    strategies = list(dict.fromkeys(c.strategy for _, _, cs in panels for c in cs))
    if len(strategies) > 1:
        notes.append(f"Every collector on the same axes ({', '.join(strategies)}), each in "
                     "its colour; the collectors of a unit group run multiples of the "
                     "group's shared unit. A runtime's footprint (a JVM's, V8's, Go's) is "
                     "its whole process's RSS (its resting runtime included).")
    failed = [(title, p) for title, _, cs in panels for c in cs for p in c.points
              if not p.ok]
    for what, chosen in (("Failed", [f for f in failed if f[1].applicable]),
                         ("Not applicable", [f for f in failed if not f[1].applicable])):
        if chosen:
            shown = "; ".join(f"{t.splitlines()[0]}: {p.name()} ({p.reason})"
                              if len(strategies) > 1 else
                              f"{t.splitlines()[0]}: {p.label} ({p.reason})"
                              for t, p in chosen[:6])
            notes.append(f"{what}, not drawn ({len(chosen)}): {shown}"
                         + (f"; and {len(chosen) - 6} more" if len(chosen) > 6 else ""))
    return notes


def curve_figures(data):
    """[(file stem, Figure)]: the overview ('curve', a panel per workload with
    every collector's curve of it) and one figure per workload
    ('curve-<workload>'); [] without variants."""
    panels = [p for p in curve_panels(data) if any(c.placed() for c in p[2])]
    if not panels:
        return []
    title = "Time against footprint: the collector's space-time curve"
    if len({c.strategy for _, _, cs in panels for c in cs if c.placed()}) > 1:
        title = "Time against footprint: the collectors' space-time curves"
    out = []
    fig, axes = grid(len(panels), panel_w=4.6, panel_h=3.8)
    for ax, (t, _, cs) in zip(axes, panels):
        draw_curve(ax, data, cs)
        ax.set_title(t)
    out.append(("curve", finish(fig, data, title, _curve_notes(data, panels),
                                _curve_legends(data, panels))))
    for t, slug, cs in panels:
        fig = new_figure(MIN_WIDTH + 1, 5.4)
        ax = fig.subplots()
        draw_curve(ax, data, cs)
        ax.set_title(t)
        one = [(t, slug, cs)]
        out.append((f"curve-{slug}", finish(fig, data, title, _curve_notes(data, one),
                                            _curve_legends(data, one))))
    return out


def charts(data, note):
    """Yields (file stem, Figure) for every chart there is data for; calls
    note(text) for each chart it skips and why."""
    on = data.catalogue.baseline_label()
    if any(p.baseline() for p in data.panels):
        for panel in data.panels:
            if not panel.baseline():
                note(f"{panel.title.splitlines()[0]}: no {on} record, so it is "
                     "left out of the time and summary charts")
    for stem, make, why in (
            ("time", time_figure, f"no {on} record with a time to relate to"),
            ("pauses", pauses_figure, "no record has reclaim pauses"),
            ("pause_cdf", pause_cdf_figure, None),
            ("latency", latency_figure, None),
            ("mmu", mmu_figure, None),
            ("memory", memory_figure, "no record has a probe")):
        fig = make(data)
        if fig is not None:
            yield stem, fig
        elif why:
            note(f"{stem} chart skipped: {why}")
    for panel, fig in timeline_figures(data):
        yield f"timeline_{panel.slug}", fig
    fig = summary_figure(data)
    if fig is None:
        note(f"summary chart skipped: no {on} record to relate the others to")
    else:
        yield "summary", fig
    for stem, fig in curve_figures(data):
        yield stem, fig


# Command line -----------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_args(argv):
    p = _Parser(
        prog=PROG,
        description="Draw the charts of memstrat results documents (written by "
                    "scripts/run) as PNG and SVG: time (relative to the baseline the "
                    "document declares, manual on glibc), "
                    "pauses (percentiles), pause_cdf (how often pauses exceed a length), "
                    "latency (request-shaped workloads only), memory (peak RSS), "
                    "timeline_<workload> (memory over the probe run) and summary; for a "
                    "curve run (records with variants: scripts/run --profile curve), curve "
                    "(time against footprint, a panel per workload) and curve-<workload>. "
                    "Several documents are plotted together: their records merge, and a "
                    "benchmark present in more than one gets one panel per run, labelled "
                    "with its host and date; relative figures always use the baseline "
                    "of the same run. Failed records are left out and listed in each "
                    "chart's footer.",
        epilog="Example: scripts/plot results/2026-11-25-vm/results.json  (writes "
               "results/2026-11-25-vm/charts/*.png and *.svg). Prints each file it "
               "writes. Exit codes: 0 charts written, 2 bad input.")
    p.add_argument("documents", nargs="+", metavar="RESULTS.json",
                   help="results documents; the first decides the default output directory")
    p.add_argument("--out", metavar="DIR",
                   help="output directory (default: charts/ beside the first document)")
    return p.parse_args(argv)


def save(fig, path):
    try:
        fig.savefig(path, dpi=DPI, metadata={"Date": None} if path.endswith(".svg") else None)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror}") from None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
        docs = [(path, results.load(path)) for path in args.documents]
        data = gather(docs)
        out = args.out or os.path.join(os.path.dirname(os.path.abspath(args.documents[0])),
                                       "charts")
        prepare_out_dir(out)
        for stem, fig in charts(data, lambda text: print(f"{PROG}: note: {text}",
                                                         file=sys.stderr)):
            for ext in ("png", "svg"):
                path = os.path.join(out, f"{stem}.{ext}")
                save(fig, path)
                print(path, flush=True)
    except (results.ResultsError, UsageError) as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    return 0
