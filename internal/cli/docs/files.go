package docs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dbtool/dbtool/schemadoc"
)

// The ways a file in the output directory differs from its page.
const (
	missing = "missing" // a page not written yet
	changed = "changed" // a page whose content differs
	stale   = "stale"   // a page dbtool wrote for a table that is gone
)

// difference is one file of the output directory that differs.
type difference struct {
	kind, path string
	data       []byte // the page's content; nil for a stale file
}

// compare lists how dir differs from pages, in file-name order: pages
// missing or changed, and stale pages (.md files of dir that start with
// schemadoc.Marker and are no page any more). Other files are not
// dbtool's and are left alone. A missing dir has every page missing.
func compare(dir string, pages []schemadoc.File) ([]difference, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("--out %s: not a directory", dir)
	}
	var diffs []difference
	want := map[string]bool{}
	for _, p := range pages {
		want[p.Name] = true
		path := filepath.Join(dir, p.Name)
		have, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			diffs = append(diffs, difference{missing, path, p.Data})
		case err != nil:
			return nil, fmt.Errorf("documentation page %w", err)
		case !bytes.Equal(have, p.Data):
			diffs = append(diffs, difference{changed, path, p.Data})
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("documentation directory %w", err)
	}
	for _, e := range entries {
		if want[e.Name()] || !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if ours, err := generated(path); err != nil {
			return nil, err
		} else if ours {
			diffs = append(diffs, difference{kind: stale, path: path})
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].path < diffs[j].path })
	return diffs, nil
}

// generated reports whether the file at path starts with dbtool's marker.
func generated(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("documentation page %w", err)
	}
	defer f.Close()
	head := make([]byte, len(schemadoc.Marker))
	n, _ := f.Read(head)
	return string(head[:n]) == schemadoc.Marker, nil
}

// apply makes dir match the pages: each missing or changed page is written
// to a temporary file beside it and renamed over it, so no page is ever
// half-written, and stale pages are removed.
func apply(dir string, pages []schemadoc.File, diffs []difference) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("documentation directory: %w", err)
	}
	for _, d := range diffs {
		if d.kind == stale {
			if err := os.Remove(d.path); err != nil {
				return fmt.Errorf("removing a stale page: %w", err)
			}
			continue
		}
		if err := writeFile(d.path, d.data); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dbtool-docs-*")
	if err != nil {
		return fmt.Errorf("documentation page %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("documentation page %s: %w", path, err)
	}
	return nil
}
