package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/dbtool/dbtool/engine"
)

// profileCommand profiles what `dbtool migrate plan` does, in this
// process, with a CPU profile for `go tool pprof`:
//
//	go run ./bench/inspect profile -url URL -f target.yaml -o cpu.pprof -n 5
//
// It opens the database and reads the schema files as the command does,
// then plans -n times (more samples), leaving out only the printing.
const profileCommand = "profile"

func runProfile(ctx context.Context, args []string, log io.Writer) error {
	fs := flag.NewFlagSet(profileCommand, flag.ContinueOnError)
	url := fs.String("url", "", "database URL")
	file := fs.String("f", "", "schema file to plan to")
	out := fs.String("o", "cpu.pprof", "where to write the CPU profile")
	n := fs.Int("n", 1, "plans to make")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	for i := 0; i < *n; i++ {
		start := time.Now()
		eng, err := engine.Open(ctx, *url, engine.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		plan, _, err := eng.PlanSource(ctx, []string{*file}, nil, engine.PlanOptions{})
		eng.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "plan %d: %d changes, %d statements in %s\n",
			i+1, len(plan.Changes), len(plan.Statements), time.Since(start).Round(time.Millisecond))
	}
	return nil
}
