// The Go strategy: one, Go's collector, and its --list_strategies
// declaration (the C++ keys plus the port keys of docs/extending.md, as the
// Java port's collectors), with the GOGC sweep, the memory-limit heap series
// and the one-P variant.
package harness

import "runtime"

// Names are the strategies every workload runs under.
var Names = []string{"go"}

const mib = int64(1) << 20

// Colour: Go's own cyan would sit beside pmr's sky blue, so a dark
// brown-red (Paul Tol's muted scheme) that no C++, Rust or Java strategy
// uses.
const goColour = "#661100"

// GOGC's sweep: what the runner walks for Go's space-time curve (the heap
// uncapped; the plain record is GOGC=100).
var gogcValues = []int64{25, 50, 200, 400, 800}

// declarations is the --list_strategies array.
func declarations() []map[string]interface{} {
	return []map[string]interface{}{{
		"name":               "go",
		"family":             "Go",
		"language":           "Go",
		"toolchain":          runtime.Version(),
		"counterpart":        "gc",
		"same_backend_build": false,
		"summary": "Go's collector at GOGC=100: concurrent, non-moving, non-generational " +
			"tri-colour mark-sweep, two short stop-the-world phases a cycle, mark assists " +
			"from allocating goroutines",
		"reclaim_kind":    "gc_stop_world",
		"frees":           "none",
		"collects":        true,
		"release_order":   "none: the collector finds unreachable objects",
		"owner_bytes":     int64(8),
		"allocator_bytes": int64(0),
		"owner_overhead": "none: a pointer is 8 bytes; objects carry no header (the " +
			"collector's pointer bitmap lives beside the heap) and are rounded up to a size class",
		"sanitizer_safe":   false,
		"threads_process":  true,
		"object_per_new":   true,
		"baseline":         false,
		"colour":           goColour,
		"default_selected": true,
		"settings":         []string{"--go_gogc", "--go_memory_limit_mib", "--go_maxprocs"},
		"sweeps": []map[string]interface{}{{
			"name": "gogc", "flag": "--go_gogc", "label": "GOGC", "default": 100,
			"min": 1, "max": 10000, "values": gogcValues,
		}},
		"heap": map[string]interface{}{
			"cap_flag":          "--go_memory_limit_mib",
			"presize_flag":      nil,
			"flag_unit_bytes":   mib,
			"granularity_bytes": mib,
			"unit_group":        "go",
		},
		"variants": []map[string]interface{}{{
			"name": "procs_1", "label": "GOMAXPROCS=1", "flags": []string{"--go_maxprocs=1"},
			"summary": "one P: the collector's background workers share the mutator's core",
		}},
	}}
}
