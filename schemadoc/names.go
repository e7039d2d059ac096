package schemadoc

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/dbtool/dbtool/metadata"
)

// maxBase bounds a page's file name before ".md", well under every
// filesystem's 255-byte limit.
const maxBase = 80

// reserved are names a page must not take: the index page, and the device
// names Windows reserves whatever the extension (compared without case).
var reserved = map[string]bool{
	"readme": true, "con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// pageNames gives each table and view a file name in the output directory:
// its schema-qualified name with every character but ASCII letters,
// digits, '_', '-' and '.' written as '_', no leading dot, at most maxBase
// bytes, then ".md". A name that clashes with another's without regard to
// case (Users and users, "a b" and a_b), that is reserved (README, or
// CON, NUL, ... before its first dot, as Windows reads them) or that was cut short gets "-" and 8 hex digits of a hash of
// the real name, for every member of the clash alike: names do not depend
// on the order of tables, and no two pages share a file, even on a
// case-insensitive filesystem. A name is one path element: no separator,
// no "..".
func pageNames(refs []metadata.TableRef) map[metadata.TableRef]string {
	base := make(map[metadata.TableRef]string, len(refs))
	needHash := map[metadata.TableRef]bool{}
	groups := map[string][]metadata.TableRef{}
	for _, r := range refs {
		b, cut := sanitize(r.String())
		base[r] = b
		if cut || reserved[strings.ToLower(strings.SplitN(b, ".", 2)[0])] {
			needHash[r] = true
		}
		groups[strings.ToLower(b)] = append(groups[strings.ToLower(b)], r)
	}
	for _, g := range groups {
		if len(g) > 1 {
			for _, r := range g {
				needHash[r] = true
			}
		}
	}
	names := make(map[metadata.TableRef]string, len(refs))
	for _, r := range refs {
		n := base[r]
		if needHash[r] {
			sum := sha256.Sum256([]byte(r.Schema + "\x00" + r.Name))
			n += "-" + hex.EncodeToString(sum[:4])
		}
		names[r] = n + ".md"
	}
	return names
}

// sanitize returns s as a safe file-name stem, and whether it was cut to
// maxBase bytes.
func sanitize(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	if strings.HasPrefix(out, ".") {
		out = "_" + out[1:]
	}
	// Windows drops a trailing dot.
	if strings.HasSuffix(out, ".") {
		out = out[:len(out)-1] + "_"
	}
	if out == "" {
		out = "_"
	}
	if len(out) > maxBase {
		return out[:maxBase], true
	}
	return out, false
}
