// What Linux says of the whole process (as the Java port's Proc): VmRSS and
// VmHWM (/proc/self/status), the peak's reset (/proc/self/clear_refs), Pss
// (/proc/self/smaps_rollup), resident pages (/proc/self/statm).
package harness

import (
	"os"
	"strconv"
	"strings"
)

const pageBytes = 4096

// kbField is a "Key:   N kB" field in bytes, or -1.
func kbField(text, key string) int64 {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, key) {
			rest := strings.TrimSpace(l[len(key):])
			if !strings.HasSuffix(rest, "kB") {
				return -1
			}
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(rest, "kB")), 10, 64)
			if err != nil {
				return -1
			}
			return n * 1024
		}
	}
	return -1
}

func readText(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

func nonNegative(v int64) int64 {
	if v < 0 {
		return 0
	}
	return v
}

func rssBytes() int64     { return nonNegative(kbField(readText("/proc/self/status"), "VmRSS:")) }
func peakRssBytes() int64 { return nonNegative(kbField(readText("/proc/self/status"), "VmHWM:")) }

// pssBytes is Pss, or -1 where smaps_rollup cannot be read.
func pssBytes() int64 { return kbField(readText("/proc/self/smaps_rollup"), "Pss:") }

// resetPeakRss sets VmHWM to the current RSS; false if the kernel refused.
func resetPeakRss() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// residentPages is statm's second field.
func residentPages(statm []byte) int64 {
	i := 0
	for i < len(statm) && statm[i] != ' ' {
		i++
	}
	var n int64
	for i++; i < len(statm) && statm[i] >= '0' && statm[i] <= '9'; i++ {
		n = n*10 + int64(statm[i]-'0')
	}
	return n
}
