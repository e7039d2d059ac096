package cli

import (
	"os"
	"testing"

	"github.com/dbtool/dbtool/internal/pgtest"
)

// TestMain stops the PostgreSQL server the password tests start.
func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
