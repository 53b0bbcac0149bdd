// memstrat_go: the Go port's program (benchmarks/ports/go/README.md). The
// port's own actions (--check, --list_benchmarks, --run) run here; every
// other flag is the harness's (timing, probes, strategies).
package main

import (
	"os"

	"memstrat/cli"
	"memstrat/harness"
)

func main() {
	if cli.Handles(os.Args[1:]) {
		os.Exit(cli.Main(os.Args[1:]))
	}
	os.Exit(harness.Main(os.Args[1:]))
}
