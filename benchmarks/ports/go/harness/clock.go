// The program's clock: the runtime's own nanotime (CLOCK_MONOTONIC, the
// clock gctrace's times are on) and runtimeInitTime, the nanotime at which
// the runtime started, which the runtime subtracts from a cycle's start
// before printing it as @<s>s. Reading both directly (go:linkname, as Go
// 1.19 allows; clock.s lets the bodyless declaration compile) makes the
// calibration exact but for the print's own truncation to the millisecond.
// CPU time is the process's (CLOCK_PROCESS_CPUTIME_ID, every thread).
package harness

import (
	"syscall"
	"unsafe"
)

//go:linkname nanotime runtime.nanotime
func nanotime() int64

//go:linkname runtimeInitTime runtime.runtimeInitTime
var runtimeInitTime int64

// processCPUNs is the CPU every thread of the process has used, ended ones
// included (0 where the clock cannot be read).
func processCPUNs() int64 {
	var ts syscall.Timespec
	const clockProcessCPUTimeID = 2
	_, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID,
		uintptr(unsafe.Pointer(&ts)), 0)
	if e != 0 {
		return 0
	}
	return ts.Nano()
}
