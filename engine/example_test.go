package engine_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/inspector"
	"github.com/dbtool/dbtool/metadata"
)

// A Go program declares its schema in code, as SQLAlchemy's
// Table("t1", meta, Column(...)) does, creates it, and reads it back.
func Example() {
	ctx := context.Background()
	meta := &metadata.MetaData{Tables: []metadata.Table{
		{
			Name: "users",
			Columns: []metadata.Column{
				{Name: "id", Type: metadata.Integer{Bytes: 4}, Autoincrement: true},
				{Name: "email", Type: metadata.String{Length: 255}}, // Nullable false: NOT NULL
			},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
			Uniques:    []metadata.Unique{{Columns: []string{"email"}}},
		},
		{
			Name: "addresses",
			Columns: []metadata.Column{
				// A model built in Go says what it means: the schema-file
				// default (autoincrement for an integer key) does not
				// apply, so inspect writes autoincrement: false.
				{Name: "id", Type: metadata.Integer{Bytes: 4}},
				{Name: "user_id", Type: metadata.Integer{Bytes: 4}},
				{Name: "street", Type: metadata.Text{}, Nullable: true},
			},
			PrimaryKey: &metadata.PrimaryKey{Columns: []string{"id"}},
			ForeignKeys: []metadata.ForeignKey{{
				Columns:    []string{"user_id"},
				References: metadata.ForeignKeyTarget{Table: "users", Columns: []string{"id"}},
				OnDelete:   metadata.Cascade,
			}},
		},
	}}

	eng, err := engine.Open(ctx, "sqlite://", engine.Options{}) // in memory
	if err != nil {
		log.Fatal(err)
	}
	defer eng.Close()

	res, err := eng.CreateAll(ctx, meta, engine.CreateAllOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", res.Created)

	again, err := eng.CreateAll(ctx, meta, engine.CreateAllOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("second run skipped:", again.Skipped)

	live, err := eng.Inspect(ctx, inspector.Options{Tables: []string{"addr*"}})
	if err != nil {
		log.Fatal(err)
	}
	y, err := metadata.EncodeYAML(live.Schema)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(y))
	// Output:
	// created: [table "users" table "addresses"]
	// second run skipped: [table "users" table "addresses"]
	// tables:
	//   - name: addresses
	//     columns:
	//       - name: id
	//         type: integer
	//         autoincrement: false
	//       - name: user_id
	//         type: integer
	//         nullable: false
	//       - name: street
	//         type: text
	//     primary_key: [id]
	//     foreign_keys:
	//       - columns: [user_id]
	//         references:
	//           table: users
	//           columns: [id]
	//         on_delete: cascade
}
