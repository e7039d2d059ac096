// Package metadata holds dbtool's schema model: a declarative MetaData of
// tables, views, columns, keys, indexes and the PostgreSQL objects around
// them, the schema-file format that stores it (YAML, or the same structure
// as JSON), and its validation.
//
// The model is plain data. It knows nothing of SQL dialects, connections or
// output: objects refer to each other by name, so two models compare with
// go-cmp and encode to YAML or JSON directly. SQL text that a database must
// interpret (view bodies, check expressions, default expressions, function
// definitions) is carried verbatim as strings.
package metadata
