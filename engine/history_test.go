package engine_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dbtool/dbtool/engine"
	"github.com/dbtool/dbtool/metadata"
)

// TestFingerprintIsTheCanonicalJSON: a fingerprint, which the history and
// saved plans keep, is the SHA-256 of the canonical model's JSON, however
// it is computed, and computing it leaves the model as it was.
func TestFingerprintIsTheCanonicalJSON(t *testing.T) {
	for _, db := range databases {
		for _, path := range schemaFiles(t, db) {
			m, err := metadata.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			before, err := metadata.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			b, err := metadata.EncodeJSON(metadata.Canonical(m))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if got, want := engine.Fingerprint(m), hex.EncodeToString(sum[:]); got != want {
				t.Errorf("%s: Fingerprint %s, want the canonical JSON's %s", path, got, want)
			}
			if diff := cmp.Diff(before, m); diff != "" {
				t.Errorf("%s: Fingerprint changed the model (-before +after):\n%s", path, diff)
			}
		}
	}
}
