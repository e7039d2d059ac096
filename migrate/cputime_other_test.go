//go:build !unix

package migrate

import "time"

// cpuTime is not measured here: BenchmarkDiff reports 0.
func cpuTime() time.Duration { return 0 }
