package metadata

import "strings"

// The identity of each kind of object: what makes two objects the same one
// for the diff, for validation's duplicate checks and for messages.
//
//	schema, extension          name
//	table, view, enum, domain,
//	sequence, composite type   schema, name
//	function                   schema, name, argument types (FunctionKey)
//	trigger                    schema, table, name
//	column, constraint, index,
//	policy                     their table, name
//
// Keys join the parts with a NUL byte, which no name holds, so "a.b"."c"
// and "a"."b.c" never share a key.

// ObjectKey joins the parts of an object's identity into a map key.
func ObjectKey(parts ...string) string { return strings.Join(parts, "\x00") }

// FunctionKey is a function's identity: its schema, name and argument
// types, spaced as the server prints them, since overloads share a name.
func FunctionKey(f Function) string {
	return ObjectKey(f.Schema, f.Name, strings.Join(strings.Fields(f.Args), " "))
}

// TriggerKey is a trigger's identity: its schema, table and name.
func TriggerKey(t Trigger) string { return ObjectKey(t.Schema, t.Table, t.Name) }

// QualifiedName names an object in a message with each part quoted, so
// that "a.b"."c" and "a"."b.c" read differently: `"audit"."log"`, or
// `"log"` in the default namespace.
func QualifiedName(schema, name string) string {
	if schema == "" {
		return QuoteName(name)
	}
	return QuoteName(schema) + "." + QuoteName(name)
}
