package mermaidcheck

import "testing"

func TestCheck(t *testing.T) {
	good := []string{
		"erDiagram\n    CUSTOMER ||--o{ ORDER : places\n",
		"erDiagram\n    a {\n        varchar(10) name PK,FK \"the #quot;name#quot;\"\n        integer[] ids UK\n    }\n    b[\"b (view)\"] {}\n    a |o..o| b : \"x, y\"\n",
		"erDiagram\n    \"quoted name\" {\n        text x\n    }\n",
	}
	for _, src := range good {
		if err := Check(src); err != nil {
			t.Errorf("Check(%q): %v", src, err)
		}
	}
	bad := map[string]string{
		"no header":            "graph TD\n",
		"keyword entity":       "erDiagram\n    style {\n    }\n",
		"dot in name":          "erDiagram\n    public.users {\n    }\n",
		"comma in type":        "erDiagram\n    a {\n        numeric(10,2) x\n    }\n",
		"space in name":        "erDiagram\n    a {\n        text first name\n    }\n",
		"quote in comment":     "erDiagram\n    a {\n        text x \"a \"b\" c\"\n    }\n",
		"hash in comment":      "erDiagram\n    a {\n        text x \"a # b\"\n    }\n",
		"unknown key":          "erDiagram\n    a {\n        text x PX\n    }\n",
		"key as name":          "erDiagram\n    a {\n        text PK\n    }\n",
		"bad cardinality":      "erDiagram\n    a {}\n    b {}\n    a ||--{o b : x\n",
		"unclosed block":       "erDiagram\n    a {\n        text x\n",
		"non-ASCII bare name":  "erDiagram\n    prénom {}\n",
		"relationship no text": "erDiagram\n    a {}\n    b {}\n    a ||--o{ b\n",
	}
	for name, src := range bad {
		if err := Check(src); err == nil {
			t.Errorf("%s: Check(%q) accepted it", name, src)
		}
	}
}
