package main

import "testing"

func TestSameEdits(t *testing.T) {
	exp := []string{"AddView view \"v\"", "AddView view \"w\"", "DropView view \"v\"", "DropView view \"w\"", "ModifyTable table \"t\""}
	cases := []struct {
		name string
		got  []string
		want bool
	}{
		{"the same", exp, true},
		{"v replaced, its reader w left alone", []string{"ModifyTable table \"t\"", "ReplaceView view \"v\""}, true},
		{"v replaced, w recreated", []string{"AddView view \"w\"", "DropView view \"w\"", "ModifyTable table \"t\"", "ReplaceView view \"v\""}, true},
		{"a table change missing", []string{"ReplaceView view \"v\""}, false},
		{"a change too many", append([]string{"AddIndex index \"i\""}, exp...), false},
		{"a view the diff leaves alone replaced", []string{"ModifyTable table \"t\"", "ReplaceView view \"x\"", "ReplaceView view \"v\""}, false},
		{"a view dropped and not created", []string{"DropView view \"v\"", "ModifyTable table \"t\""}, false},
	}
	for _, c := range cases {
		if got := sameEdits(c.got, exp); got != c.want {
			t.Errorf("%s: sameEdits = %v, want %v", c.name, got, c.want)
		}
	}
}
