package engine

import (
	"context"

	"github.com/dbtool/dbtool/metadata"
)

// LoadSource reads a declared schema from paths: schema files (YAML or
// JSON) or directories of them. eng is the database the schema will be
// compared with.
func LoadSource(ctx context.Context, eng *Engine, paths []string) (*metadata.MetaData, error) {
	return metadata.Load(paths...)
}
