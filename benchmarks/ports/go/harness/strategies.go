// The strategies' names (a placeholder the harness's branch replaces with
// the full declarations): one, Go's collector at its defaults.
package harness

// Names are the strategies every workload runs under.
var Names = []string{"go"}
