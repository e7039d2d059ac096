// Package version is the "dbtool version" command and the build
// information it prints: the release version, commit and date that
// GoReleaser injects with -ldflags -X, or, for a "go install" build, what
// the Go toolchain recorded in the binary.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
	"github.com/spf13/cobra"
)

// Set at link time by release builds (see .goreleaser.yml):
//
//	go build -ldflags "-X github.com/dbtool/dbtool/internal/cli/version.Version=1.2.3
//	  -X github.com/dbtool/dbtool/internal/cli/version.Commit=abc1234
//	  -X github.com/dbtool/dbtool/internal/cli/version.Date=2025-01-02T03:04:05Z"
//
// These are the only package variables of the CLI: -X can set nothing else.
var (
	// Version is the release version, without a leading "v".
	Version = ""
	// Commit is the full commit hash the release was built from.
	Commit = ""
	// Date is when the release was built, RFC 3339.
	Date = ""
)

// Info is what a binary knows about its own build.
type Info struct {
	Version   string
	Commit    string
	Date      string
	GoVersion string
	// Modified is set when the binary was built from a working tree with
	// uncommitted changes (known only from the toolchain's VCS stamp).
	Modified bool
}

// Current returns the build information: the link-time values where set,
// completed from runtime/debug.ReadBuildInfo (the module version of a
// "go install ...@v1.2.3", the VCS stamp of a build in a checkout).
func Current() Info {
	return resolve(Version, Commit, Date, readBuildInfo())
}

func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// resolve merges the link-time values with the toolchain's build info.
func resolve(version, commit, date string, bi *debug.BuildInfo) Info {
	info := Info{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version()}
	if bi == nil {
		if info.Version == "" {
			info.Version = "dev"
		}
		return info
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	if info.Version == "" {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = trimV(v)
		} else {
			info.Version = "dev"
		}
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if info.Commit == "" {
				info.Commit = s.Value
			}
		case "vcs.time":
			if info.Date == "" {
				info.Date = s.Value
			}
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

func trimV(v string) string {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v[1:]
	}
	return v
}

// String is the one-line form: "dbtool 1.2.3 (commit abc1234, built 2025-01-02T03:04:05Z, go1.26.8)".
func (i Info) String() string {
	s := "dbtool " + i.Version
	extra := ""
	if i.Commit != "" {
		c := i.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if i.Modified {
			c += "-dirty"
		}
		extra += "commit " + c + ", "
	}
	if i.Date != "" {
		extra += "built " + i.Date + ", "
	}
	return s + " (" + extra + i.GoVersion + ")"
}

// Options are the version command's inputs.
type Options struct {
	IO   *iostreams.IOStreams
	Info Info
}

// NewCmdVersion returns the version command. runF replaces the command's
// action in tests; nil runs it.
func NewCmdVersion(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "version",
		Short: "Print dbtool's version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Info = Current()
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
}

func runVersion(opts *Options) error {
	_, err := fmt.Fprintln(opts.IO.Out, opts.Info.String())
	return err
}
