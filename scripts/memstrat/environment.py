"""The environment a run is made in, as part of its result: the environment
variables that change an allocator, the collector or a runtime (declared once,
in benchmarks/harness/environment_names.txt), and the machine settings that
move memory benchmarks (transparent huge pages, ASLR, overcommit, the
cgroup's memory and CPU limits (v2, or v1 where that is what there is), the CPU frequency governor). `non_default`
names, in words, each one that is not what a stock Debian 12 machine has, so
a run made under GC_MARKERS=1 cannot pass for a default run.

Taken from the runner's own environment before it applies anything per
record: a setting the suite applies itself (a collector's marker count, a
heap size) is a setting of that record, not of the environment."""

import fnmatch
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAMES_FILE = os.path.join(ROOT, "benchmarks", "harness", "environment_names.txt")

# What a stock machine has. THP: Debian's kernel is built with "always"
# (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS), many distributions and tuning guides
# set "madvise"; both are defaults a user meets, "never" is a choice. defrag
# "madvise" is the kernel's default. ASLR 2 (full) and overcommit 0
# (heuristic) are the kernel's defaults; a cgroup limit is "max" (none).
DEFAULTS = {
    "thp_enabled": ("always", "madvise"),
    "thp_defrag": ("madvise",),
    "aslr": ("2",),
    "overcommit_memory": ("0",),
    "cgroup_memory_max": ("max", "unknown"),
    "cgroup_cpu_max": ("max", "unknown"),
}
# Recorded, not judged: which governor is the default depends on the cpufreq
# driver (intel_pstate defaults to "powersave", acpi-cpufreq to
# "schedutil"), and a VM has none ("unknown").
UNJUDGED = ("cpu_governor",)

LABELS = {
    "thp_enabled": "transparent huge pages",
    "thp_defrag": "transparent huge page defrag",
    "aslr": "ASLR (randomize_va_space)",
    "overcommit_memory": "overcommit_memory",
    "cgroup_memory_max": "cgroup memory.max",
    "cgroup_cpu_max": "cgroup cpu.max",
}


def variable_patterns(path=NAMES_FILE):
    """The declared names and NAME* prefixes."""
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def variables(environ=None, patterns=None):
    """{name: value} of the declared variables set in environ."""
    environ = os.environ if environ is None else environ
    patterns = variable_patterns() if patterns is None else patterns
    return {k: environ[k] for k in sorted(environ)
            if any(fnmatch.fnmatchcase(k, p) for p in patterns)}


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "unknown"


def _selected(text):
    """The [bracketed] choice of a sysfs switch ("always [madvise] never")."""
    if "[" in text and "]" in text:
        return text.split("[", 1)[1].split("]", 1)[0]
    return text


def _cgroup_limits():
    """(memory limit, CPU quota) of this process's cgroup: cgroup v2's
    memory.max and cpu.max where the controllers are there, else cgroup v1's
    memory.limit_in_bytes and cpu.cfs_quota_us (hybrid hosts and older
    container runtimes), as "max" for no limit; "unknown" if neither."""
    paths = {}
    for line in _read("/proc/self/cgroup").splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in (parts[1].split(",") if parts[1] else [""]):
                paths[controller] = parts[2].lstrip("/")
    memory = cpu = "unknown"
    if "" in paths:
        v2 = os.path.join("/sys/fs/cgroup", paths[""])
        memory = _read(os.path.join(v2, "memory.max"))
        quota = _read(os.path.join(v2, "cpu.max"))
        # "max 100000": no quota, whatever the period.
        cpu = quota.split()[0] if quota.startswith("max") else quota
    if memory == "unknown" and "memory" in paths:
        limit = _read(os.path.join("/sys/fs/cgroup/memory", paths["memory"],
                                   "memory.limit_in_bytes"))
        # v1 writes "no limit" as the largest page-aligned signed 64-bit value.
        memory = "max" if limit.isdigit() and int(limit) >= 2 ** 62 else limit
    if cpu == "unknown" and "cpu" in paths:
        base = os.path.join("/sys/fs/cgroup/cpu", paths["cpu"])
        quota = _read(os.path.join(base, "cpu.cfs_quota_us"))
        period = _read(os.path.join(base, "cpu.cfs_period_us"))
        cpu = "max" if quota == "-1" else f"{quota} {period}"
    return memory, cpu


def machine(root="/"):
    """The machine settings that move memory benchmarks, as strings;
    "unknown" where the machine does not expose one."""
    def at(path):
        return os.path.join(root, path.lstrip("/"))
    memory_max, cpu_max = _cgroup_limits() if root == "/" else ("unknown", "unknown")
    governors = set()
    cpu_dir = at("/sys/devices/system/cpu")
    try:
        cpus = [d for d in os.listdir(cpu_dir) if d[3:].isdigit() and d.startswith("cpu")]
    except OSError:
        cpus = []
    for cpu in cpus:
        g = _read(os.path.join(cpu_dir, cpu, "cpufreq", "scaling_governor"))
        if g != "unknown":
            governors.add(g)
    return {
        "thp_enabled": _selected(_read(at("/sys/kernel/mm/transparent_hugepage/enabled"))),
        "thp_defrag": _selected(_read(at("/sys/kernel/mm/transparent_hugepage/defrag"))),
        "aslr": _read(at("/proc/sys/kernel/randomize_va_space")),
        "overcommit_memory": _read(at("/proc/sys/vm/overcommit_memory")),
        "cgroup_memory_max": memory_max,
        "cgroup_cpu_max": cpu_max,
        "cpu_governor": ",".join(sorted(governors)) or "unknown",
    }


def non_default(record):
    """Human-readable items, one per setting that is not the default."""
    items = [f"{k}={v} in the environment" for k, v in record["variables"].items()]
    for key, allowed in DEFAULTS.items():
        value = record["machine"].get(key, "unknown")
        if value not in allowed:
            items.append(f"{LABELS[key]} is {value} (default: {' or '.join(allowed)})")
    return items


def gather(environ=None):
    """{"variables", "machine"} and the non-default items, for the context."""
    record = {"variables": variables(environ), "machine": machine()}
    return record, non_default(record)
