// Command dbtool is schema as code for PostgreSQL and SQLite: create-all
// creates a declared schema, inspect reflects a live database back into
// the same format. See "dbtool --help".
package main

import (
	"os"

	"github.com/dbtool/dbtool/internal/cli"
)

func main() { os.Exit(cli.Main()) }
