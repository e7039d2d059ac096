// Package sqlscript reads SQL scripts of DDL, as psql or the sqlite3 shell
// would read them, so that dbtool can use a .sql file as a schema source:
// Split cuts a script into its statements, each with the file:line:col it
// starts at, and Exec runs them, naming that position when the database
// refuses one. The caller (the scratch database behind `dbtool diff` and
// `dbtool migrate plan`) owns the connection and the transaction.
//
// # Lexical rules
//
// A statement ends at a semicolon outside quotes and comments. What
// quotes and comments are depends on the Syntax:
//
//   - PostgreSQL: 'strings' (a doubled quote stands for one; U&, B, X
//     and N strings follow the same rule), E'strings' (backslashes escape
//     too; in other strings only while standard_conforming_strings is
//     set off), "identifiers" (a doubled quote too), dollar quotes ($$...$$, $tag$...$tag$, so DO blocks
//     and function bodies stay whole), -- line comments and /* */ block
//     comments, which nest. As in psql, a semicolon inside parentheses does
//     not end a statement (a rule's DO ALSO (...; ...)), nor does one
//     between BEGIN and its END in CREATE [OR REPLACE] FUNCTION or
//     PROCEDURE (a SQL-standard BEGIN ATOMIC body; CASE ... END inside it
//     counts). psql variables (:name, :'name') are not interpolated.
//   - SQLite: 'strings', "identifiers", `identifiers` and [identifiers],
//     -- and /* */ comments (which do not nest). CREATE [TEMP|TEMPORARY]
//     TRIGGER ... BEGIN ...; ...; END is one statement: a semicolon ends a
//     trigger only after the END that closes its BEGIN (CASE ... END inside
//     the body counts, so a CASE that ends just before a semicolon does
//     not close the trigger).
//
// A statement that runs to the end of the file without a semicolon is
// still a statement, as both shells send it. Empty statements are dropped.
//
// # Meta-commands
//
// PostgreSQL scripts may hold psql meta-commands: a backslash outside
// quotes and comments starts one, which runs to the end of its line. One
// between statements that only changes psql's own display or variables is
// skipped: \restrict and \unrestrict (which pg_dump writes), \set, \unset,
// \pset, \echo, \qecho, \warn, \timing, \encoding, \a, \C, \f, \H, \t, \T,
// \x, \o, \out, \conninfo, \errverbose, \?, \h, \help, \l, \list, \z and
// the \d family of describe commands, each alone on its line (psql would
// run a second command after a backslash in the arguments). \q and \quit
// end the script there.
// Every other one is an error naming its file:line:col, in particular
// those that change what runs: \c and \connect (another database), \i,
// \ir, \include and \include_relative (another file: pass it as a source
// itself), \copy, \g, \gexec, \gset and \gx (run what a query returns),
// \if, \elif, \else and \endif, \! and \setenv. A meta-command inside a
// statement is an error too.
//
// SQLite scripts may hold sqlite3 dot-commands: a line starting with a
// dot outside a statement. The display ones are skipped (.bail, .changes,
// .echo, .headers, .mode, .nullvalue, .output, .once, .print, .separator,
// .show, .timer, .width); .quit and .exit end the script; any other
// (.read, .open, .import, .load, .shell...) is an error. A line starting
// with # outside a statement is a comment, as in the shell.
//
// # What is skipped
//
// A source declares structure, so statements about data are not run.
// Each is reported as a Note (file:line, what was skipped, why), and runs
// of the same kind one after another make one Note:
//
//   - INSERT, UPDATE, DELETE, MERGE, REPLACE, TRUNCATE, and WITH (a query
//     or a data change behind common table expressions);
//   - COPY, and for COPY ... FROM stdin its data rows up to the \. line;
//   - SELECT setval(...) or pg_catalog.setval(...), which pg_dump writes to
//     set a sequence's value;
//   - VACUUM and ANALYZE (maintenance; in SQLite, ANALYZE would create
//     sqlite_stat tables).
//
// BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK (but not ROLLBACK TO a
// savepoint) and ABORT are dropped without a note: the loader runs the
// script in its own transaction. Everything else runs, including SET and
// any other SELECT, such as this one pg_dump writes, on whose effect the
// rest of a dump relies:
//
//	SELECT pg_catalog.set_config('search_path', '', false);
package sqlscript
