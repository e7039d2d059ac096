//go:build !unix

package pgtest

import (
	"context"
	"net/url"
	"runtime"
)

// cluster is not supported here: set DBTOOL_TEST_POSTGRES_URL.
type cluster struct{ binDir string }

func (c *cluster) url(db string) *url.URL { return nil }

func (c *cluster) stop() error { return nil }

func startCluster(ctx context.Context, settings ...string) (*cluster, error) {
	return nil, &unavailableError{"pgtest cannot start a server on " + runtime.GOOS + "; set " + EnvURL}
}
