// Package timing times the commands the benchmarks compare: wall and CPU
// time and peak memory of a run, and medians over runs.
package timing

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Sample is one run of one command.
type Sample struct {
	Wall, CPU time.Duration
	// RSS is the peak resident set size, in KiB.
	RSS int64
}

// Run runs a command, its output discarded unless cmd.Stdout is set (nil
// is the null device), and returns its wall time, CPU time (user and
// system) and peak resident set size. A failure's error holds the start
// of what the command printed on stderr.
func Run(cmd *exec.Cmd) (Sample, error) {
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	err := cmd.Run()
	s := Sample{Wall: time.Since(start)}
	if err != nil {
		return s, fmt.Errorf("%s: %w\n%.4000s", strings.Join(cmd.Args, " "), err, errOut.String())
	}
	s.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.RSS = int64(ru.Maxrss) // KiB on Linux
	}
	return s, nil
}

// Median is the median of one measure of the samples.
func Median(samples []Sample, of func(Sample) time.Duration) time.Duration {
	s := make([]time.Duration, len(samples))
	for i, x := range samples {
		s[i] = of(x)
	}
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// MaxRSS is the largest peak resident set size of the samples, in KiB.
func MaxRSS(samples []Sample) int64 {
	var m int64
	for _, x := range samples {
		m = max(m, x.RSS)
	}
	return m
}
