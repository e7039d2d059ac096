package sqlite

import (
	"fmt"
	"strings"
)

// tokenKind is the kind of one SQL token.
type tokenKind int

const (
	tkEOF    tokenKind = iota
	tkWord             // a bare word: an identifier or a keyword
	tkQuoted           // a quoted identifier: "x", [x] or `x`
	tkString           // a string literal: 'x'
	tkBlob             // a blob literal: X'00'
	tkNumber           // a numeric literal
	tkPunct            // anything else: ( ) , ; . and operators
)

// token is one SQL token and where it is in the source.
type token struct {
	kind tokenKind
	// value is an identifier's name without quotes, a string's value
	// without quotes, or else the token's text.
	value      string
	start, end int
}

// lex splits SQL text into tokens, skipping white space and comments. It
// knows SQLite's quoting: "x" and `x` with the quote doubled inside, [x],
// and 'x' strings with ” inside.
func lex(src string) ([]token, error) { return lexAppend(nil, src) }

// lexAppend is lex appending to toks, so that a buffer can be reused.
func lexAppend(toks []token, src string) ([]token, error) {
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				i = len(src)
			} else {
				i += end + 1
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				// SQLite ends an unterminated comment at the end of input.
				i = len(src)
			} else {
				i += end + 4
			}
		case c == '"' || c == '`' || c == '\'':
			end, value, err := quoted(src, i, c)
			if err != nil {
				return nil, err
			}
			kind := tkQuoted
			if c == '\'' {
				kind = tkString
			}
			toks = append(toks, token{kind: kind, value: value, start: i, end: end})
			i = end
		case c == '[':
			end := strings.IndexByte(src[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated [ at offset %d", i)
			}
			toks = append(toks, token{kind: tkQuoted, value: src[i+1 : i+end], start: i, end: i + end + 1})
			i += end + 1
		case (c == 'x' || c == 'X') && i+1 < len(src) && src[i+1] == '\'':
			end, _, err := quoted(src, i+1, '\'')
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tkBlob, value: src[i:end], start: i, end: end})
			i = end
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			end := number(src, i)
			toks = append(toks, token{kind: tkNumber, value: src[i:end], start: i, end: end})
			i = end
		case isWordStart(c):
			end := i + 1
			for end < len(src) && isWordByte(src[end]) {
				end++
			}
			toks = append(toks, token{kind: tkWord, value: src[i:end], start: i, end: end})
			i = end
		default:
			end := i + 1
			if i+1 < len(src) {
				switch src[i : i+2] {
				case "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->":
					end = i + 2
				}
			}
			toks = append(toks, token{kind: tkPunct, value: src[i:end], start: i, end: end})
			i = end
		}
	}
	return toks, nil
}

// quoted reads a quoted token starting at src[i] == q, where a doubled
// quote stands for itself; it returns the offset after the closing quote
// and the unquoted value.
func quoted(src string, i int, q byte) (end int, value string, err error) {
	// Most names have no doubled quote: their value is a slice of src.
	if j := strings.IndexByte(src[i+1:], q); j >= 0 && (i+j+2 >= len(src) || src[i+j+2] != q) {
		return i + j + 2, src[i+1 : i+j+1], nil
	}
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			b.WriteByte(src[j])
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			b.WriteByte(q)
			j++
			continue
		}
		return j + 1, b.String(), nil
	}
	return 0, "", fmt.Errorf("unterminated %c at offset %d", q, i)
}

// number returns the end of the numeric literal at src[i].
func number(src string, i int) int {
	if src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') {
		j := i + 2
		for j < len(src) && isHexDigit(src[j]) {
			j++
		}
		return j
	}
	j := i
	for j < len(src) && (isDigit(src[j]) || src[j] == '_') {
		j++
	}
	if j < len(src) && src[j] == '.' {
		j++
		for j < len(src) && (isDigit(src[j]) || src[j] == '_') {
			j++
		}
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			for k < len(src) && isDigit(src[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// isWordStart reports whether c starts a bare word: a letter, '_', or any
// byte of a non-ASCII character, as SQLite's tokenizer has it.
func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isWordByte(c byte) bool { return isWordStart(c) || isDigit(c) || c == '$' }
