package sqlmigrate

import (
	"sort"
	"unicode/utf8"
)

// lineIndex maps byte offsets of one migration file to 1-based line and column numbers.
// Columns count bytes, as go/token does, so that a position names the same place in
// every editor that counts UTF-8 bytes and differs only in how wide it draws runes.
type lineIndex []int

// newLineIndex records where every line of text starts.
func newLineIndex(text string) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

// position returns the line and column of byte offset off.
func (l lineIndex) position(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	i := sort.Search(len(l), func(i int) bool { return l[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, off - l[i] + 1
}

// runeOffset converts a 1-based character position, as PostgreSQL's parser reports the
// cursor of a syntax error, to a byte offset into text.
func runeOffset(text string, cursor int) int {
	if cursor <= 1 {
		return 0
	}
	n := 1
	for i := range text {
		if n == cursor {
			return i
		}
		n++
	}
	return len(text)
}

// invalidUTF8 returns the offset of the first byte that makes text unusable as SQL: an
// invalid UTF-8 sequence or a NUL byte (the mark of a binary file). It returns -1 when
// the text is clean.
func invalidUTF8(text []byte) int {
	for i := 0; i < len(text); {
		if text[i] == 0 {
			return i
		}
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// skipSpaceAndComments returns the offset of the first SQL token at or after off:
// PostgreSQL reports a statement's location right after the previous semicolon, so the
// whitespace and comments between them are skipped to position the statement itself.
func skipSpaceAndComments(text string, off int) int {
	for off < len(text) {
		switch c := text[off]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			off++
		case c == '-' && off+1 < len(text) && text[off+1] == '-':
			for off < len(text) && text[off] != '\n' {
				off++
			}
		case c == '/' && off+1 < len(text) && text[off+1] == '*':
			depth := 0
			for off < len(text) {
				if off+1 < len(text) && text[off] == '/' && text[off+1] == '*' {
					depth++
					off += 2
				} else if off+1 < len(text) && text[off] == '*' && text[off+1] == '/' {
					depth--
					off += 2
					if depth == 0 {
						break
					}
				} else {
					off++
				}
			}
		default:
			return off
		}
	}
	return off
}
