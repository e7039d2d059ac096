package migrate

import (
	"slices"

	"github.com/dbtool/dbtool/metadata"
)

// sameTable reports whether two tables are equal in every field, exactly
// as reflect.DeepEqual(a, b) does (a nil list differs from an empty one),
// field by field and without allocating. diffTables asks it of every
// paired table, and most are equal: reflect.DeepEqual, which records
// every slice, pointer and interface it passes in a map, took half of a
// 5000-table diff (BenchmarkDiff). TestSameTableIsDeepEqual holds the two
// to the same answer, for every field of every type below.
func sameTable(a, b *metadata.Table) bool {
	return a.Schema == b.Schema && a.Name == b.Name &&
		sameList(a.Columns, b.Columns, sameColumn) &&
		samePtr(a.PrimaryKey, b.PrimaryKey, samePrimaryKeyFields) &&
		sameList(a.ForeignKeys, b.ForeignKeys, sameForeignKey) &&
		sameList(a.Uniques, b.Uniques, sameUnique) &&
		sameList(a.Checks, b.Checks, sameValue[metadata.Check]) &&
		sameList(a.Exclusions, b.Exclusions, sameValue[metadata.Exclusion]) &&
		sameList(a.Indexes, b.Indexes, sameIndex) &&
		a.Comment == b.Comment &&
		a.WithoutRowID == b.WithoutRowID && a.Strict == b.Strict &&
		a.PartitionBy == b.PartitionBy &&
		samePtr(a.PartitionOf, b.PartitionOf, sameValue[metadata.PartitionOf]) &&
		sameList(a.Inherits, b.Inherits, sameValue[metadata.TableRef]) &&
		a.RowLevelSecurity == b.RowLevelSecurity && a.ForceRowLevelSecurity == b.ForceRowLevelSecurity &&
		sameList(a.Policies, b.Policies, samePolicy) &&
		a.RenamedFrom == b.RenamedFrom
}

func sameColumn(a, b *metadata.Column) bool {
	return a.Name == b.Name && sameType(a.Type, b.Type) && a.Nullable == b.Nullable &&
		sameDefault(a.Default, b.Default) && a.Autoincrement == b.Autoincrement &&
		samePtr(a.Identity, b.Identity, sameIdentity) &&
		samePtr(a.Generated, b.Generated, sameValue[metadata.Generated]) &&
		a.Collation == b.Collation && a.NotNullOnConflict == b.NotNullOnConflict &&
		a.Comment == b.Comment && a.RenamedFrom == b.RenamedFrom
}

// sameType compares column types. Every type of the closed set is a
// struct of numbers, strings and booleans, where == is DeepEqual.
func sameType(a, b metadata.Type) bool { return a == b }

// sameDefault compares defaults, a closed set of comparable structs too.
func sameDefault(a, b metadata.Default) bool { return a == b }

func sameIdentity(a, b *metadata.Identity) bool {
	return a.Always == b.Always && samePtr(a.Start, b.Start, sameValue[int64]) &&
		samePtr(a.Increment, b.Increment, sameValue[int64])
}

func samePrimaryKeyFields(a, b *metadata.PrimaryKey) bool {
	return a.Name == b.Name && sameStrings(a.Columns, b.Columns) &&
		sameList(a.ColumnOptions, b.ColumnOptions, sameValue[metadata.KeyColumnOption]) &&
		a.OnConflict == b.OnConflict
}

func sameForeignKey(a, b *metadata.ForeignKey) bool {
	return a.Name == b.Name && sameStrings(a.Columns, b.Columns) &&
		a.References.Schema == b.References.Schema && a.References.Table == b.References.Table &&
		sameStrings(a.References.Columns, b.References.Columns) &&
		a.OnDelete == b.OnDelete && a.OnUpdate == b.OnUpdate &&
		a.Deferrable == b.Deferrable && a.InitiallyDeferred == b.InitiallyDeferred &&
		a.Match == b.Match && a.NotValid == b.NotValid
}

func sameUnique(a, b *metadata.Unique) bool {
	return a.Name == b.Name && sameStrings(a.Columns, b.Columns) && a.NullsNotDistinct == b.NullsNotDistinct &&
		sameList(a.ColumnOptions, b.ColumnOptions, sameValue[metadata.KeyColumnOption]) &&
		a.OnConflict == b.OnConflict
}

func sameIndex(a, b *metadata.Index) bool {
	return a.Name == b.Name && a.Unique == b.Unique && a.Method == b.Method &&
		sameList(a.Parts, b.Parts, sameValue[metadata.IndexPart]) &&
		sameStrings(a.Include, b.Include) && a.Where == b.Where && a.Comment == b.Comment
}

func samePolicy(a, b *metadata.Policy) bool {
	return a.Name == b.Name && a.Command == b.Command && a.Restrictive == b.Restrictive &&
		sameStrings(a.Roles, b.Roles) && a.Using == b.Using && a.WithCheck == b.WithCheck
}

// sameValue compares values of a type whose fields are all comparable.
func sameValue[T comparable](a, b *T) bool { return *a == *b }

// sameList compares lists as reflect.DeepEqual does: nil only equals nil.
func sameList[T any](a, b []T, same func(a, b *T) bool) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		if !same(&a[i], &b[i]) {
			return false
		}
	}
	return true
}

func sameStrings(a, b []string) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

func samePtr[T any](a, b *T, same func(a, b *T) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return same(a, b)
}
