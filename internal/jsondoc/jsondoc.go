// Package jsondoc decodes a JSON document into plain Go values and remembers where every
// member starts, so that the JSON Schema and OpenAPI engines can report findings and
// errors as file:line:column without decoding JSON through a YAML parser (which refuses
// valid JSON such as the escape \/) or a hand-written one.
//
// Tokens come from the maintained streaming decoder github.com/go-json-experiment/json's
// jsontext, which gives byte offsets; this package only builds values and a compact
// position tree from them, and turns offsets into lines and columns on demand.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Limits bound what one document may decode to, so that a hostile input cannot exhaust
// memory or the stack. Zero fields take the defaults.
type Limits struct {
	// MaxDepth is the deepest nesting of objects and arrays allowed (default 500).
	MaxDepth int
	// MaxValues is the largest number of values (of any kind) allowed (default 20 million).
	MaxValues int
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 500
	}
	if l.MaxValues <= 0 {
		l.MaxValues = 20_000_000
	}
	return l
}

// Error is a problem in the document at a byte offset, with its line and column.
type Error struct {
	Offset       int
	Line, Column int
	Msg          string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg) }

// Node holds the positions of the members of one object or array. Scalars have no node;
// their position is kept by the container that holds them.
type Node struct {
	// Keys are the member names of an object in document order; nil for an array.
	Keys []string
	// Offsets holds two byte offsets per member: where its name starts (for an array
	// element, where the element starts) and where its value starts.
	Offsets []int32
	// Kids holds the node of each member that is an object or array, nil for scalars.
	Kids []*Node
	// index finds a member by name in large objects; built on first use.
	index map[string]int
}

// Len is the number of members.
func (n *Node) Len() int { return len(n.Kids) }

// Member returns the index of the member named tok (an unescaped JSON pointer token),
// or -1. For arrays tok must be a canonical decimal index.
func (n *Node) Member(tok string) int {
	if n == nil {
		return -1
	}
	if n.Keys == nil {
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.Kids) || strconv.Itoa(i) != tok {
			return -1
		}
		return i
	}
	if len(n.Keys) <= 16 {
		for i, k := range n.Keys {
			if k == tok {
				return i
			}
		}
		return -1
	}
	if n.index == nil {
		idx := make(map[string]int, len(n.Keys))
		for i, k := range n.Keys {
			idx[k] = i
		}
		n.index = idx
	}
	if i, ok := n.index[tok]; ok {
		return i
	}
	return -1
}

// Doc is a decoded document: its root value, its position tree and what is needed to
// turn offsets into lines and columns.
type Doc struct {
	// Value is the root value: map[string]any, []any, string, json.Number, bool or nil,
	// as encoding/json decodes with UseNumber.
	Value any
	// Root is the position tree of Value when it is an object or array.
	Root *Node
	// Start is the byte offset where the root value starts.
	Start int

	data  []byte
	lines []int32 // byte offset of the start of each line after the first
	// runes[i] counts the runes in data[:i*runeStride], so that a column in a minified
	// document (one line of megabytes) costs at most runeStride bytes of counting.
	runes []int32
}

const runeStride = 1024

// Decode parses data as exactly one JSON value (RFC 8259; duplicate member names are an
// error, as RFC 8259 leaves them undefined and schemas with them are ambiguous).
func Decode(data []byte, lim Limits) (*Doc, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > 1<<31-1 {
		return nil, &Error{Line: 1, Column: 1, Msg: "document is larger than 2 GiB"}
	}
	doc := &Doc{data: data}
	// A UTF-8 byte order mark may precede the value (RFC 8259 lets parsers ignore it, and
	// editors on Windows write one); the decoder reads past it and offsets stay those of data.
	base := 0
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		base = len("\ufeff")
	}
	b := builder{doc: doc, lim: lim, base: base,
		dec: jsontext.NewDecoder(bytes.NewReader(data[base:]), jsontext.AllowDuplicateNames(true))}
	v, n, start, err := b.value(0)
	if err != nil {
		return nil, b.wrap(err)
	}
	off := b.next()
	if _, err := b.dec.ReadToken(); err != io.EOF {
		if err != nil {
			return nil, b.wrap(err)
		}
		return nil, doc.errAt(off, "more than one JSON value in the document")
	}
	doc.Value, doc.Root, doc.Start = v, n, start
	return doc, nil
}

type builder struct {
	doc    *Doc
	dec    *jsontext.Decoder
	lim    Limits
	values int
	base   int // bytes of data before what the decoder reads
}

// next returns the offset where the next token starts: past whitespace and the one
// separator that may follow the previous token.
func (b *builder) next() int {
	data := b.doc.data
	i := b.base + int(b.dec.InputOffset())
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

func (b *builder) value(depth int) (any, *Node, int, error) {
	start := b.next()
	b.values++
	if b.values > b.lim.MaxValues {
		return nil, nil, start, b.doc.errAt(start, fmt.Sprintf("document holds more than %d values", b.lim.MaxValues))
	}
	tok, err := b.dec.ReadToken()
	if err != nil {
		return nil, nil, start, err
	}
	switch tok.Kind() {
	case '{', '[':
		if depth >= b.lim.MaxDepth {
			return nil, nil, start, b.doc.errAt(start, fmt.Sprintf("document nests deeper than %d levels", b.lim.MaxDepth))
		}
		if tok.Kind() == '{' {
			v, n, err := b.object(depth)
			return v, n, start, err
		}
		v, n, err := b.array(depth)
		return v, n, start, err
	case '"':
		return tok.String(), nil, start, nil
	case '0':
		return json.Number(tok.String()), nil, start, nil
	case 't':
		return true, nil, start, nil
	case 'f':
		return false, nil, start, nil
	case 'n':
		return nil, nil, start, nil
	}
	return nil, nil, start, b.doc.errAt(start, "unexpected "+tok.Kind().String())
}

func (b *builder) object(depth int) (any, *Node, error) {
	m := map[string]any{}
	n := &Node{Keys: []string{}}
	for b.dec.PeekKind() != '}' {
		keyOff := b.next()
		tok, err := b.dec.ReadToken()
		if err != nil {
			return nil, nil, err
		}
		key := tok.String()
		if _, dup := m[key]; dup {
			return nil, nil, b.doc.errAt(keyOff, fmt.Sprintf("duplicate key %q", key))
		}
		v, kid, valOff, err := b.value(depth + 1)
		if err != nil {
			return nil, nil, err
		}
		m[key] = v
		n.Keys = append(n.Keys, key)
		n.Offsets = append(n.Offsets, int32(keyOff), int32(valOff))
		n.Kids = append(n.Kids, kid)
	}
	if _, err := b.dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	return m, n, nil
}

func (b *builder) array(depth int) (any, *Node, error) {
	s := []any{}
	n := &Node{}
	for b.dec.PeekKind() != ']' {
		v, kid, off, err := b.value(depth + 1)
		if err != nil {
			return nil, nil, err
		}
		s = append(s, v)
		n.Offsets = append(n.Offsets, int32(off), int32(off))
		n.Kids = append(n.Kids, kid)
	}
	if _, err := b.dec.ReadToken(); err != nil {
		return nil, nil, err
	}
	return s, n, nil
}

// wrap turns a decoder error into a positioned *Error.
func (b *builder) wrap(err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	off := b.base + int(b.dec.InputOffset())
	var se *jsontext.SyntacticError
	msg := err.Error()
	if errors.As(err, &se) {
		off = b.base + int(se.ByteOffset)
		if se.Err != nil {
			msg = se.Err.Error()
		}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		off, msg = len(b.doc.data), "unexpected end of JSON input"
	}
	msg = strings.TrimPrefix(msg, "jsontext: ")
	return b.doc.errAt(off, "malformed JSON: "+msg)
}

func (d *Doc) errAt(off int, msg string) *Error {
	line, col := d.LineCol(off)
	return &Error{Offset: off, Line: line, Column: col, Msg: msg}
}

// LineCol turns a byte offset into a 1-based line and a 1-based column counted in runes,
// as editors and YAML decoders count them.
func (d *Doc) LineCol(off int) (line, col int) {
	if off > len(d.data) {
		off = len(d.data)
	}
	if off < 0 {
		off = 0
	}
	d.index()
	// The number of line starts at or before off is the 0-based line.
	lo, hi := 0, len(d.lines)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int(d.lines[mid]) <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	lineStart := 0
	if lo > 0 {
		lineStart = int(d.lines[lo-1])
	}
	return lo + 1, d.runesBefore(off) - d.runesBefore(lineStart) + 1
}

// index builds the line and rune tables on the first position asked for: documents
// whose positions are never needed (unchanged ones) never pay for them.
func (d *Doc) index() {
	if d.runes != nil {
		return
	}
	lines := make([]int32, 0, bytes.Count(d.data, []byte{'\n'}))
	for i, c := range d.data {
		if c == '\n' {
			lines = append(lines, int32(i+1))
		}
	}
	runes := make([]int32, 0, len(d.data)/runeStride+1)
	count := 0
	for i := 0; i <= len(d.data); i += runeStride {
		runes = append(runes, int32(count))
		end := min(i+runeStride, len(d.data))
		count += runeCount(d.data[i:end])
	}
	d.lines, d.runes = lines, runes
}

func (d *Doc) runesBefore(off int) int {
	k := off / runeStride
	return int(d.runes[k]) + runeCount(d.data[k*runeStride:off])
}

// runeCount counts the runes that start in b: its bytes that are not UTF-8 continuation
// bytes. Unlike utf8.RuneCount it is exact on a slice that cuts a rune in two, which the
// fixed stride of the rune table does (a 3- or 4-byte rune across a boundary was counted
// as 2 or 3 runes, shifting every later column of a minified document). The decoder only
// accepts valid UTF-8, so every rune has exactly one leading byte.
func runeCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// Lookup walks a JSON pointer ("" for the root, "/a/0/b") down the position tree and
// returns the offsets of the deepest member it reaches: where its name starts and where
// its value starts. exact is false when the pointer names something the document does
// not have; the offsets are then those of the deepest existing ancestor.
func (d *Doc) Lookup(ptr string) (keyOff, valOff int, exact bool) {
	keyOff, valOff = d.Start, d.Start
	if ptr == "" {
		return keyOff, valOff, true
	}
	if ptr[0] != '/' {
		return keyOff, valOff, false
	}
	n := d.Root
	rest := ptr[1:]
	for {
		tok, more, found := strings.Cut(rest, "/")
		if strings.Contains(tok, "~") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		}
		i := n.Member(tok)
		if i < 0 {
			return keyOff, valOff, false
		}
		keyOff, valOff = int(n.Offsets[2*i]), int(n.Offsets[2*i+1])
		if !found {
			return keyOff, valOff, true
		}
		n, rest = n.Kids[i], more
		if n == nil {
			return keyOff, valOff, false
		}
	}
}
