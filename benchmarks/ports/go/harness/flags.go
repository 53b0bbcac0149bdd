// The harness's flags: the port protocol's timing and probe flags exactly as
// memstrat_java takes them (its --help), and Go's own: --go_gogc (GOGC),
// --go_memory_limit_mib (GOGC=off and GOMEMLIMIT: the heap cap the runner
// bisects), --go_maxprocs (GOMAXPROCS). --list_benchmarks, --check and --run
// are the cli package's (the entry sends them there); the hidden
// --go_child=DIR makes this process the measured child.
package harness

import (
	"fmt"
	"strconv"
	"strings"
)

// Prog is every error line's prefix.
const Prog = "memstrat_go"

// Usage is --help's line.
const Usage = "usage: memstrat_go [--size=small|default|all]" +
	" (--list_benchmarks | --list_strategies | --check" +
	" | --benchmark_filter=^NAME$ [--benchmark_repetitions=N] [--benchmark_min_time=S]" +
	" [--benchmark_min_warmup_time=S] [--benchmark_out=FILE] [--benchmark_out_format=json]" +
	" | --probe=NAME [--probe_iterations=N] [--sample_period_ms=MS] [--probe_out=FILE])" +
	" [--go_gogc=N] [--go_memory_limit_mib=N] [--go_maxprocs=N]"

// exit ends the program with one line and a code (0: the line to stdout).
type exit struct {
	code int
	line string
}

func (e *exit) Error() string { return e.line }

func usagef(format string, args ...interface{}) *exit {
	return &exit{2, Prog + ": error: " + fmt.Sprintf(format, args...) + " (see --help)"}
}

func failuref(format string, args ...interface{}) *exit {
	return &exit{1, Prog + ": error: " + fmt.Sprintf(format, args...)}
}

type options struct {
	size            string
	listStrategies  bool
	filter          string
	filterSet       bool
	repetitions     int64
	minTime         float64
	minWarmupTime   float64
	benchmarkOut    string
	probe           string
	probeSet        bool
	probeIterations int64
	samplePeriodMs  int64
	probeOut        string
	gogc            int64 // 0: not given (GOGC=100)
	memLimitMiB     int64 // 0: not given (no limit)
	maxprocs        int64 // 0: not given (the runtime's own: the CPUs allowed)
	child           string
}

func whole(flag, v string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, usagef("%s=%s is not a whole number from %d to %d", flag, v, lo, hi)
	}
	return n, nil
}

func seconds(flag, v string) (float64, error) {
	s, err := strconv.ParseFloat(strings.TrimSuffix(v, "s"), 64)
	if err != nil || !(s >= 0 && s < 1e6) {
		return 0, usagef("%s=%s is not a number of seconds", flag, v)
	}
	return s, nil
}

func parse(args []string) (options, error) {
	o := options{size: "small", repetitions: 1, minTime: 0.5, probeIterations: 3, samplePeriodMs: 10}
	for _, a := range args {
		flag, v, hasValue := a, "", false
		if i := strings.IndexByte(a, '='); i >= 0 {
			flag, v, hasValue = a[:i], a[i+1:], true
		}
		need := func() (string, error) {
			if v == "" {
				return "", usagef("%s needs a value (%s=...)", flag, flag)
			}
			return v, nil
		}
		var err error
		switch flag {
		case "--help", "-h":
			return o, &exit{0, Usage}
		case "--size":
			if v != "small" && v != "default" && v != "all" {
				return o, usagef("--size takes small, default or all, not %s", v)
			}
			o.size = v
		case "--list_strategies":
			if hasValue {
				return o, usagef("%s takes no value", a)
			}
			o.listStrategies = true
		case "--list_benchmarks", "--check", "--run":
			// The entry hands these to the cli package; here only when
			// Main is called directly.
			return o, usagef("%s is the cli package's action, not the harness's", flag)
		case "--benchmark_filter":
			o.filter, err = need()
			o.filterSet = true
		case "--benchmark_repetitions":
			if v, err = need(); err == nil {
				o.repetitions, err = whole(flag, v, 1, 100000)
			}
		case "--benchmark_min_time":
			if v, err = need(); err == nil {
				o.minTime, err = seconds(flag, v)
			}
		case "--benchmark_min_warmup_time":
			if v, err = need(); err == nil {
				o.minWarmupTime, err = seconds(flag, v)
			}
		case "--benchmark_out":
			o.benchmarkOut, err = need()
		case "--benchmark_out_format", "--benchmark_format":
			if v != "json" {
				return o, usagef("%s=%s: only json is written", flag, v)
			}
		case "--probe":
			o.probe, err = need()
			o.probeSet = true
		case "--probe_iterations":
			if v, err = need(); err == nil {
				o.probeIterations, err = whole(flag, v, 1, 100000)
			}
		case "--sample_period_ms":
			if v, err = need(); err == nil {
				o.samplePeriodMs, err = whole(flag, v, 1, 60000)
			}
		case "--probe_out":
			o.probeOut, err = need()
		case "--go_gogc":
			if v, err = need(); err == nil {
				o.gogc, err = whole(flag, v, 1, 10000)
			}
		case "--go_memory_limit_mib":
			if v, err = need(); err == nil {
				o.memLimitMiB, err = whole(flag, v, 1, 1<<30)
			}
		case "--go_maxprocs":
			if v, err = need(); err == nil {
				o.maxprocs, err = whole(flag, v, 1, 4096)
			}
		case "--go_child":
			o.child, err = need()
		default:
			return o, usagef("unknown argument %s", a)
		}
		if err != nil {
			return o, err
		}
	}
	actions := 0
	for _, set := range []bool{o.listStrategies, o.filterSet, o.probeSet} {
		if set {
			actions++
		}
	}
	if actions > 1 {
		return o, usagef("--list_benchmarks, --list_strategies, --check, --benchmark_filter and" +
			" --probe exclude each other")
	}
	if actions == 0 {
		return o, usagef("nothing to do")
	}
	if o.probeOut != "" && !o.probeSet {
		return o, usagef("--probe_out needs --probe=NAME")
	}
	if o.gogc > 0 && o.memLimitMiB > 0 {
		return o, usagef("--go_gogc and --go_memory_limit_mib exclude each other (a capped run is" +
			" GOGC=off: the limit is its only trigger)")
	}
	return o, nil
}

// exactName turns `^NAME$` as the runner writes it (Python's re.escape)
// back into NAME.
func exactName(filter string) (string, error) {
	if len(filter) < 2 || !strings.HasPrefix(filter, "^") || !strings.HasSuffix(filter, "$") {
		return "", usagef("--benchmark_filter=%s: only ^NAME$ filters are supported", filter)
	}
	inner := filter[1 : len(filter)-1]
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c == '\\' && i+1 < len(inner) {
			i++
			c = inner[i]
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

// childEnv is the measured child's runtime settings, replacing any the
// user's environment has (what the flags say, and nothing inherited).
func childEnv(o options, environ []string) []string {
	var env []string
	for _, kv := range environ {
		switch {
		case strings.HasPrefix(kv, "GOGC="), strings.HasPrefix(kv, "GOMEMLIMIT="),
			strings.HasPrefix(kv, "GOMAXPROCS="), strings.HasPrefix(kv, "GODEBUG="):
			continue
		}
		env = append(env, kv)
	}
	switch {
	case o.memLimitMiB > 0:
		env = append(env, "GOGC=off", fmt.Sprintf("GOMEMLIMIT=%dMiB", o.memLimitMiB))
	case o.gogc > 0:
		env = append(env, fmt.Sprintf("GOGC=%d", o.gogc))
	default:
		env = append(env, "GOGC=100")
	}
	if o.maxprocs > 0 {
		env = append(env, fmt.Sprintf("GOMAXPROCS=%d", o.maxprocs))
	}
	return append(env, "GODEBUG=gctrace=1")
}

// settingsWords says how the run was configured, for error lines.
func settingsWords(o options) string {
	s := "GOGC=100"
	switch {
	case o.memLimitMiB > 0:
		s = fmt.Sprintf("GOMEMLIMIT=%d MiB with GOGC=off", o.memLimitMiB)
	case o.gogc > 0:
		s = fmt.Sprintf("GOGC=%d", o.gogc)
	}
	if o.maxprocs > 0 {
		s += fmt.Sprintf(", GOMAXPROCS=%d", o.maxprocs)
	}
	return s
}
