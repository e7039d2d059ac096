package sqlscript

import (
	"errors"
	"strings"
	"testing"
)

// FuzzSplit checks that Split never panics, and that what it does not
// return as a statement or skip on purpose is only white space,
// semicolons and comments: nothing of a script is lost. (The corpus files
// are no seeds: at 50 KB each, minimizing what they find takes minutes.)
func FuzzSplit(f *testing.F) {
	seeds := []string{
		"SELECT 1; SELECT 'a;b'; SELECT E'\\';'; SELECT \"x;\";",
		"CREATE FUNCTION f() AS $t$ ; $$ ; $t$; DO $$ ; $$; SELECT a$$b, $1;",
		"/* a /* b */ ; */ SELECT 1 -- ;\n; -- end",
		"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t);",
		"CREATE FUNCTION f() BEGIN ATOMIC SELECT CASE WHEN x THEN 1 END; END; SELECT 2",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET c = CASE WHEN 1 THEN 2 END; END;",
		"\\restrict x\nSET a = 1;\n\\echo hi\nCOPY t FROM stdin;\n1\t2\n\\.\nSELECT 3;\n\\q\nSELECT 4",
		".mode column\n# note\nCREATE TABLE [a;b] (`c;d`);\n.quit\n",
		"SET standard_conforming_strings = off; SELECT 'a\\';'; BEGIN; INSERT INTO t VALUES (1); COMMIT;",
		"\uFEFFSELECT 'ü';\r\n\tSELECT 2\r\n",
		"SELECT 'unterminated", "/* unterminated", "$x$ unterminated", "COPY t FROM stdin;",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, src string, sqlite bool) {
		syn := PostgreSQL
		if sqlite {
			syn = SQLite
		}
		stmts, _, err := Split("f.sql", []byte(src), syn)
		segs, scanErr := scan(src, &syn)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || scanErr == nil {
				t.Fatalf("Split's error %v is not an *Error from scan", err)
			}
			if e.Pos.Line < 1 || e.Pos.Line > strings.Count(src, "\n")+1 || e.Pos.Column < 1 {
				t.Fatalf("error at %v, outside the script", e.Pos)
			}
			return
		}
		checkCoverage(t, src, segs, syn.nestedComments)
		var run []segment
		for _, sg := range segs {
			if sg.kind == segRun {
				run = append(run, sg)
			}
		}
		if len(run) != len(stmts) {
			t.Fatalf("%d statements, %d segments to run", len(stmts), len(run))
		}
		for i, s := range stmts {
			sg := run[i]
			if s.SQL != src[sg.start:sg.end] {
				t.Fatalf("statement %d is %q, the script has %q there", i, s.SQL, src[sg.start:sg.end])
			}
			if line := strings.Count(src[:sg.start], "\n") + 1; s.Pos.Line != line {
				t.Fatalf("statement %d %q at line %d, want %d", i, s.SQL, s.Pos.Line, line)
			}
		}
	})
}

// checkCoverage fails unless the segments are in order, within the
// script, and what lies between them is white space, semicolons and
// comments only.
func checkCoverage(t *testing.T, src string, segs []segment, nested bool) {
	t.Helper()
	at := 0
	if strings.HasPrefix(src, bom) {
		at = len(bom)
	}
	for _, sg := range segs {
		if sg.start < at || sg.end < sg.start || sg.end > len(src) {
			t.Fatalf("segment %d..%d out of order (previous ended at %d, script has %d bytes)", sg.start, sg.end, at, len(src))
		}
		if sg.kind != segData && sg.end == sg.start {
			t.Fatalf("empty segment at %d", sg.start)
		}
		if sg.kind != segData && sg.kind != segShell {
			if c := src[sg.start]; isSpace(c) || strings.HasPrefix(src[sg.start:], "--") || strings.HasPrefix(src[sg.start:], "/*") {
				t.Fatalf("statement %q starts with white space or a comment", src[sg.start:sg.end])
			}
		}
		if rest := onlyComments(src[at:sg.start], nested); rest != "" {
			t.Fatalf("%q is between statements but neither space nor comment (before %q)", rest, src[sg.start:sg.end])
		}
		at = sg.end
	}
	if rest := onlyComments(src[at:], nested); rest != "" {
		t.Fatalf("%q at the end is not in any statement", rest)
	}
}

// onlyComments strips white space, semicolons, -- comments and /* */
// comments from the start of s, and returns what is left.
func onlyComments(s string, nested bool) string {
	for s != "" {
		switch {
		case isSpace(s[0]) || s[0] == ';':
			s = s[1:]
		case strings.HasPrefix(s, "--"):
			if n := strings.IndexByte(s, '\n'); n >= 0 {
				s = s[n:]
			} else {
				s = ""
			}
		case strings.HasPrefix(s, "/*"):
			depth, i := 1, 2
			for depth > 0 {
				if i >= len(s) {
					return s // unterminated: not a comment
				}
				switch {
				case strings.HasPrefix(s[i:], "*/"):
					depth--
					i += 2
				case nested && strings.HasPrefix(s[i:], "/*"):
					depth++
					i += 2
				default:
					i++
				}
			}
			s = s[i:]
		default:
			return s
		}
	}
	return ""
}
