// Package loadavg stretches a time budget by how loaded the machine is:
// the harness's lab budgets and the lab agent's waits read the same
// one-minute load average and scale the same way, so that a budget that
// holds on a quiet machine still holds at a load of 28 on two cores
// without letting a broken member hang for long.
package loadavg

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// Scale stretches b on a machine that has more work than CPUs, by load
// per CPU, up to four times, so that a broken image still fails soon.
func Scale(b time.Duration, load float64, cpus int) time.Duration {
	if cpus < 1 || load <= float64(cpus) {
		return b
	}
	return time.Duration(float64(b) * min(load/float64(cpus), 4))
}

// Load is the one-minute load average, 0 when it cannot be read. In a
// container /proc/loadavg is the host's.
func Load() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return v
}
