//go:build unix

package intent

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used (user + system). The
// benchmarks report it per operation because the wall time of a shared,
// loaded machine says little.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
