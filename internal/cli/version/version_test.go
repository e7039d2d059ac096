package version

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/internal/cli/factory"
	"github.com/dbtool/dbtool/internal/iostreams"
)

func TestResolve(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/dbtool/dbtool", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-01-02T03:04:05Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	installed := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/dbtool/dbtool", Version: "v1.4.0"},
	}
	for _, tc := range []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{
			name:    "release build: ldflags win",
			version: "1.2.3", commit: "abcdef1234567890", date: "2026-03-04T05:06:07Z",
			bi:   stamped,
			want: "dbtool 1.2.3 (commit abcdef123456-dirty, built 2026-03-04T05:06:07Z, go1.26.8)",
		},
		{
			name: "build in a checkout: VCS stamp",
			bi:   stamped,
			want: "dbtool dev (commit 0123456789ab-dirty, built 2026-01-02T03:04:05Z, go1.26.8)",
		},
		{
			name: "go install @version: module version",
			bi:   installed,
			want: "dbtool 1.4.0 (go1.26.8)",
		},
		{
			name: "no build info",
			want: "dbtool dev (" + resolve("", "", "", nil).GoVersion + ")",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := resolve(tc.version, tc.commit, tc.date, tc.bi).String()
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestCmdVersion(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmdVersion(&factory.Factory{IOStreams: ios}, nil)
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "dbtool ") || !strings.HasSuffix(got, ")\n") {
		t.Errorf("output %q, want one line \"dbtool VERSION (...)\"", got)
	}
}
