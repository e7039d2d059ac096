package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// report prints the table of results. names are the contenders' short
// names: the first is the one measured, the last the reference. It prints
// the first's wall time against each other's, its CPU time against the
// reference's, its time per table, and everyone's growth and peak memory.
func report(w io.Writer, opts *options, refName string, names []string, rs []result) {
	subject := names[0]
	title := fmt.Sprintf("dbtool inspect --format %s vs %s", opts.format, refName)
	if opts.command == commandPlan {
		title = fmt.Sprintf("dbtool migrate plan (%g%% of the tables changed) vs dbtool inspect --format %s vs %s", 100*opts.changed, opts.format, refName)
	}
	fmt.Fprintf(w, "\n%s (%s, median of %d runs, seed %d)\n\n", title, opts.db, opts.runs, opts.seed)
	last := len(names) - 1
	var head []string
	head = append(head, "tables")
	head = append(head, names...)
	for j := last; j > 0; j-- {
		head = append(head, subject+"/"+names[j])
	}
	for _, n := range names {
		head = append(head, n+" CPU")
	}
	head = append(head, "CPU "+subject+"/"+names[last], subject+"/table")
	for _, n := range names {
		head = append(head, n+" growth")
	}
	for _, n := range names {
		head = append(head, n+" RSS")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for i, r := range rs {
		row := []string{fmt.Sprint(r.size)}
		for _, s := range r.stats {
			row = append(row, ms(s.wall))
		}
		for j := last; j > 0; j-- {
			row = append(row, ratio(r.stats[0].wall, r.stats[j].wall))
		}
		for _, s := range r.stats {
			row = append(row, ms(s.cpu))
		}
		row = append(row, ratio(r.stats[0].cpu, r.stats[last].cpu),
			fmt.Sprintf("%.1f µs", float64(r.stats[0].wall.Microseconds())/float64(r.size)))
		for j, s := range r.stats {
			g := "-"
			if i > 0 {
				// Time growth over table-count growth: 1.00 is linear.
				prev := rs[i-1]
				n := float64(r.size) / float64(prev.size)
				g = fmt.Sprintf("%.2f", float64(s.wall)/float64(prev.stats[j].wall)/n)
			}
			row = append(row, g)
		}
		for _, s := range r.stats {
			row = append(row, mib(s.rss))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w, "\ntimes are wall-clock medians; CPU is user+system; RSS is the peak resident set")
	fmt.Fprintln(w, "growth: (time / previous time) / (tables / previous tables); 1.00 is linear")
}

func ratio(a, b time.Duration) string { return fmt.Sprintf("%.2fx", float64(a)/float64(b)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }
