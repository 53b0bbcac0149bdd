// The port's own actions, run in this process (protocol items 1, 5, 6):
// --list_benchmarks, --check (one run of every benchmark: checksum, units,
// objects, for the parity test) and --run NAME (a human line). Timing and
// probes are the harness's (a child process with the strategy's
// environment).
package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"memstrat/harness"
	"memstrat/work"
	"memstrat/workloads"
)

// Prog is the program's name, every error line's prefix.
const Prog = "memstrat_go"

const usage = "usage: memstrat_go [--size=small|default|all] (--list_benchmarks | --check | --run NAME)"

// Handles says whether args ask for one of this package's actions.
func Handles(args []string) bool {
	for _, a := range args {
		name := a
		if i := strings.IndexByte(a, '='); i >= 0 {
			name = a[:i]
		}
		switch name {
		case "--check", "--list_benchmarks", "--run":
			return true
		}
	}
	return false
}

type options struct {
	size           string
	listBenchmarks bool
	check          bool
	run            string
	runSet         bool
}

func parse(args []string) (options, error) {
	o := options{size: "small"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := a, "", false
		if j := strings.IndexByte(a, '='); j >= 0 {
			name, value, hasValue = a[:j], a[j+1:], true
		}
		// A flag's value may also be the next argument.
		takeValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
				return args[i], nil
			}
			return "", work.Usagef("%s needs a value (%s)", name, usage)
		}
		boolFlag := func() (bool, error) {
			if !hasValue {
				return true, nil
			}
			switch value {
			case "true", "1":
				return true, nil
			case "false", "0":
				return false, nil
			}
			return false, work.Usagef("%s takes no value or true/false, not %q", name, value)
		}
		var err error
		switch name {
		case "--size":
			o.size, err = takeValue()
			if err == nil && o.size != "small" && o.size != "default" && o.size != "all" {
				err = work.Usagef("--size takes small, default or all, not %q", o.size)
			}
		case "--list_benchmarks":
			o.listBenchmarks, err = boolFlag()
		case "--check":
			o.check, err = boolFlag()
		case "--run":
			o.run, err = takeValue()
			o.runSet = true
		default:
			err = work.Usagef("%s is not a flag of --list_benchmarks, --check or --run (%s)", a, usage)
		}
		if err != nil {
			return o, err
		}
	}
	n := 0
	for _, set := range []bool{o.listBenchmarks, o.check, o.runSet} {
		if set {
			n++
		}
	}
	if n != 1 {
		return o, work.Usagef("give exactly one of --list_benchmarks, --check and --run (%s)", usage)
	}
	return o, nil
}

type listed struct {
	Name     string           `json:"name"`
	Workload string           `json:"workload"`
	Strategy string           `json:"strategy"`
	Params   map[string]int64 `json:"params"`
}

type checked struct {
	Name     string           `json:"name"`
	Workload string           `json:"workload"`
	Strategy string           `json:"strategy"`
	Params   map[string]int64 `json:"params"`
	Checksum string           `json:"checksum"`
	Units    int64            `json:"units"`
	Objects  int64            `json:"objects"`
}

// RunOnce runs b once in this process: its checksum, units and counts.
func RunOnce(b workloads.Bench) (uint64, int64, work.Counts, error) {
	var units work.UnitCounter
	var counts work.Counts
	sum, err := b.Workload.Run(b.Params, &units, &counts)
	return sum, units.Units, counts, err
}

func printJSON(v interface{}) error {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(os.Stdout, "%s\n", out)
	return err
}

func act(o options) error {
	benches, err := workloads.Benchmarks(o.size, harness.Names)
	if err != nil {
		return err
	}
	switch {
	case o.listBenchmarks:
		out := make([]listed, 0, len(benches))
		for _, b := range benches {
			out = append(out, listed{b.Name, b.Workload.Name(), b.Strategy, b.ParamsMap()})
		}
		return printJSON(out)
	case o.check:
		out := make([]checked, 0, len(benches))
		for _, b := range benches {
			sum, units, counts, err := RunOnce(b)
			if err != nil {
				return err
			}
			out = append(out, checked{b.Name, b.Workload.Name(), b.Strategy, b.ParamsMap(),
				fmt.Sprintf("0x%016x", sum), units, counts.Objects})
		}
		return printJSON(out)
	default:
		for _, b := range benches {
			if b.Name == o.run {
				sum, units, counts, err := RunOnce(b)
				if err != nil {
					return err
				}
				fmt.Printf("%s checksum=0x%016x units=%d objects=%d\n", b.Name, sum, units, counts.Objects)
				return nil
			}
		}
		return work.Usagef("no benchmark %q at --size=%s (see --list_benchmarks)", o.run, o.size)
	}
}

// Main runs the action args ask for and returns the exit code: 0, 2 for bad
// flags or parameters, 1 for a failure (a panic is one line too).
func Main(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "%s: error: %v\n", Prog, r)
			code = 1
		}
	}()
	o, err := parse(args)
	if err == nil {
		err = act(o)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: error: %v\n", Prog, err)
		var usageErr *work.UsageError
		if errors.As(err, &usageErr) {
			return 2
		}
		return 1
	}
	return 0
}
