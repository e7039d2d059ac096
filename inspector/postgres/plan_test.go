package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dbtool/dbtool/inspector"
	"github.com/jackc/pgx/v5"
)

// planNode is a node of EXPLAIN (FORMAT JSON).
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Parent   string     `json:"Parent Relationship"`
	SubPlan  string     `json:"Subplan Name"`
	Filter   string     `json:"Filter"`
	JoinFilt string     `json:"Join Filter"`
	Plans    []planNode `json:"Plans"`
}

// indexed reports whether every scan under n reaches its rows through an
// index (or a function, or nothing), so that running n once per outer row
// costs a lookup, not a pass over a catalog.
func indexed(n planNode) bool {
	switch n.NodeType {
	case "Seq Scan", "CTE Scan", "Subquery Scan", "WorkTable Scan", "Hash", "Sort", "Aggregate", "Materialize":
		if n.NodeType == "Aggregate" || n.NodeType == "Sort" {
			break // over what follows
		}
		if n.NodeType == "Materialize" || n.NodeType == "Hash" {
			// Built once per outer loop only when the inner is rescanned:
			// what matters is what it reads.
			break
		}
		return false
	}
	for _, c := range n.Plans {
		if !indexed(c) {
			return false
		}
	}
	return true
}

var reHashed = regexp.MustCompile(`hashed (SubPlan \d+)`)

// quadratic returns the places of a plan that run a pass over a catalog
// once per row of another: a nested loop whose inner side is not an index
// lookup, and a subplan run per row (not hashed) that scans.
func quadratic(n planNode, hashed map[string]bool, path string) []string {
	var out []string
	path += "/" + n.NodeType
	if n.Relation != "" {
		path += "(" + n.Relation + ")"
	}
	if n.NodeType == "Nested Loop" && len(n.Plans) == 2 && !indexed(n.Plans[1]) {
		out = append(out, path+": the inner side scans")
	}
	if n.Parent == "SubPlan" && !hashed[n.SubPlan] && !indexed(n) {
		out = append(out, path+": a subplan run per row scans")
	}
	for _, c := range n.Plans {
		out = append(out, quadratic(c, hashed, path)...)
	}
	return out
}

// collectHashed finds the subplans a plan hashes (run once, probed per
// row), named in filters as "hashed SubPlan 1".
func collectHashed(n planNode, into map[string]bool) {
	for _, text := range []string{n.Filter, n.JoinFilt} {
		for _, m := range reHashed.FindAllStringSubmatch(text, -1) {
			into[m[1]] = true
		}
	}
	for _, c := range n.Plans {
		collectHashed(c, into)
	}
}

// checkPlans explains every catalog query as an inspection with opts
// would run it, and reports any plan that is not linear in the tables.
func checkPlans(t *testing.T, url string, opts inspector.Options) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	f := newFilter(opts)
	c := &catalog{}
	if _, err := conn.Exec(ctx, beginSQL+"; "+plannerSettings, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatal(err)
	}
	var current *string
	if err := conn.QueryRow(ctx, qSession).Scan(&current, &c.version); err != nil {
		t.Fatal(err)
	}
	queries := []job{{name: "selection", sql: qSelection, args: []any{f.schemas, f.include, f.exclude}}}
	if err := conn.QueryRow(ctx, qSelection, f.schemas, f.include, f.exclude).Scan(&c.rels, &c.tables); err != nil {
		t.Fatal(err)
	}
	for _, j := range append(queries, c.jobs(f)...) {
		var doc []struct {
			Plan planNode `json:"Plan"`
		}
		var raw []byte
		if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+j.sql, j.args...).Scan(&raw); err != nil {
			t.Fatalf("explaining %s: %v", j.name, err)
		}
		if err := json.Unmarshal(raw, &doc); err != nil || len(doc) != 1 {
			t.Fatalf("explaining %s: %v\n%s", j.name, err, raw)
		}
		hashed := map[string]bool{}
		collectHashed(doc[0].Plan, hashed)
		for _, q := range quadratic(doc[0].Plan, hashed, "") {
			t.Errorf("%s (%+v): %s\n%s", j.name, opts, q, raw)
		}
	}
	if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// TestPlansAreLinear checks the plan of every catalog query: none may run
// a pass over a catalog once per row of another, which is how a catalog
// query grows with the square of the tables. It runs on a database of a
// few hundred tables; set DBTOOL_TEST_PLAN_URL to check a larger one too
// (the benchmark's 5000 tables, say).
func TestPlansAreLinear(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	makeTables(db, "a", 300)
	db.exec("ANALYZE")
	urls := []string{db.url}
	if u := os.Getenv("DBTOOL_TEST_PLAN_URL"); u != "" {
		urls = append(urls, u)
	}
	for _, url := range urls {
		for _, opts := range []inspector.Options{
			{},
			{Schemas: []string{"a"}, Exclude: []string{"*_00[0-4]?"}},
			{Tables: []string{"a.t_001?", "t_02*"}},
		} {
			checkPlans(t, url, opts)
		}
	}
}

// TestPlanCheck checks the checker on plans it must refuse and accept.
func TestPlanCheck(t *testing.T) {
	scan := planNode{NodeType: "Seq Scan", Relation: "pg_attribute"}
	idx := planNode{NodeType: "Index Scan", Relation: "pg_attribute"}
	for _, c := range []struct {
		plan planNode
		bad  bool
	}{
		{planNode{NodeType: "Nested Loop", Plans: []planNode{scan, scan}}, true},
		{planNode{NodeType: "Nested Loop", Plans: []planNode{scan, {NodeType: "Materialize", Plans: []planNode{scan}}}}, true},
		{planNode{NodeType: "Nested Loop", Plans: []planNode{scan, {NodeType: "CTE Scan"}}}, true},
		{planNode{NodeType: "Nested Loop", Plans: []planNode{scan, idx}}, false},
		{planNode{NodeType: "Nested Loop", Plans: []planNode{scan, {NodeType: "Memoize", Plans: []planNode{idx}}}}, false},
		{planNode{NodeType: "Hash Join", Plans: []planNode{scan, {NodeType: "Hash", Plans: []planNode{scan}}}}, false},
		{planNode{NodeType: "Seq Scan", Plans: []planNode{{NodeType: "Seq Scan", Parent: "SubPlan", SubPlan: "SubPlan 1"}}}, true},
		{planNode{NodeType: "Seq Scan", Filter: "(NOT (hashed SubPlan 1))", Plans: []planNode{{NodeType: "Seq Scan", Parent: "SubPlan", SubPlan: "SubPlan 1"}}}, false},
	} {
		hashed := map[string]bool{}
		collectHashed(c.plan, hashed)
		if got := len(quadratic(c.plan, hashed, "")) > 0; got != c.bad {
			t.Errorf("%s: quadratic = %v, want %v", strings.TrimSpace(fmt.Sprintf("%+v", c.plan)), got, c.bad)
		}
	}
}
