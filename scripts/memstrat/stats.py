"""The Mann-Whitney U test (two-sided), written out so the comparison needs
nothing beyond the standard library. It follows SciPy's mannwhitneyu with
method="auto": the exact distribution when one sample has at most 8 values
and there are no ties, else the normal approximation with tie and continuity
corrections. Tests check it against SciPy where Debian's python3-scipy is
installed, and against fixed values where it is not."""

import math
from functools import lru_cache

from memstrat.metrics import median


def _ranks(values):
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


@lru_cache(maxsize=None)
def _count(u, n1, n2):
    """Number of arrangements of n1 x's and n2 y's whose U statistic is u."""
    if u < 0 or u > n1 * n2:
        return 0
    if n1 == 0 or n2 == 0:
        return 1 if u == 0 else 0
    # The largest value is an x (it beats all n2 y's) or a y.
    return _count(u - n2, n1 - 1, n2) + _count(u, n1, n2 - 1)


def _exact_sf(u, n1, n2):
    """P(U >= u) under the null hypothesis."""
    total = math.comb(n1 + n2, n1)
    return sum(_count(v, n1, n2) for v in range(int(u), n1 * n2 + 1)) / total


def mann_whitney_u(x, y):
    """Returns (U1, two-sided p-value) for samples x and y."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    xy = list(x) + list(y)
    ranks = _ranks(xy)
    u1 = sum(ranks[:n1]) - n1 * (n1 + 1) / 2
    u = max(u1, n1 * n2 - u1)
    ties = len(set(xy)) < len(xy)
    if (n1 <= 8 or n2 <= 8) and not ties:
        p = 2 * _exact_sf(u, n1, n2)
    else:
        n = n1 + n2
        counts = {}
        for r in ranks:
            counts[r] = counts.get(r, 0) + 1
        tie_term = sum(t ** 3 - t for t in counts.values())
        sd = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        if sd == 0:
            return u1, 1.0
        z = (u - n1 * n2 / 2 - 0.5) / sd
        p = 2 * 0.5 * math.erfc(z / math.sqrt(2))
    return u1, min(max(p, 0.0), 1.0)


def smallest_p(n1, n2):
    """The smallest two-sided p the exact test can give for samples of n1 and
    n2 values: with 3 against 3 it is 0.1, so no difference can reach 0.05."""
    return 2 / math.comb(n1 + n2, n1)


def time_call(before, after, threshold, alpha):
    """("unchanged" | "changed" | "noise", p) for two samples of times: unchanged
    if the medians are within threshold (relative), changed if they are not and
    the U test gives p < alpha, noise otherwise."""
    _, p = mann_whitney_u(before, after)
    mb, ma = median(before), median(after)
    if mb == 0 or abs(ma - mb) / mb < threshold:
        return "unchanged", p
    return ("changed" if p < alpha else "noise"), p


BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20011
BOOTSTRAP_LEVEL = 0.95


def bootstrap_geomean_ci(pairs, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED,
                         level=BOOTSTRAP_LEVEL):
    """Percentile bootstrap interval (lo, hi) of the geometric mean over
    workloads of median(a) / median(b), for pairs {workload: (a, b)} of
    repetition samples: each resample draws every sample's repetitions with
    replacement, recomputes each workload's ratio of medians and their
    geometric mean. A fixed seed makes a report reproducible. None if a
    sample is empty or a median is zero."""
    import random
    rng = random.Random(seed)
    keys = sorted(pairs)
    if not keys or any(not a or not b for a, b in pairs.values()):
        return None
    estimates = []
    for _ in range(resamples):
        logs = 0.0
        for k in keys:
            a, b = pairs[k]
            ma = median([a[rng.randrange(len(a))] for _ in a])
            mb = median([b[rng.randrange(len(b))] for _ in b])
            if ma <= 0 or mb <= 0:
                return None
            logs += math.log(ma / mb)
        estimates.append(math.exp(logs / len(keys)))
    estimates.sort()
    tail = (1 - level) / 2
    lo = estimates[int(math.floor(tail * (resamples - 1)))]
    hi = estimates[int(math.ceil((1 - tail) * (resamples - 1)))]
    return lo, hi
