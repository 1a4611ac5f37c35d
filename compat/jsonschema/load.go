package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/jsondoc"
	"go.yaml.in/yaml/v3"
)

// maxDecodeNodes bounds how many YAML nodes (after alias expansion) one file may decode to,
// so that an alias bomb cannot exhaust memory.
const maxDecodeNodes = 2_000_000

// maxDecodeDepth bounds how deeply a decoded document may nest.
const maxDecodeDepth = 500

// position is a 1-based line and column.
type position struct{ line, col int }

// posError is a decoding problem located in one file.
type posError struct {
	line, col int
	msg       string
}

func (e *posError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// decoder turns a yaml.Node tree into plain JSON values and records where every value
// starts, keyed by JSON pointer.
type decoder struct {
	pos   map[string]position
	nodes int
}

// decodeFile decodes a schema file into a JSON value and a function that returns where
// the value at a JSON pointer starts (0, 0 when the document has no such value). A .json
// file is decoded as JSON (RFC 8259, with positions from byte offsets), so that JSON a
// YAML parser refuses (the escape \/) or accepts wrongly (trailing commas, comments) is
// read as JSON readers read it; every other file is YAML, of which JSON is a subset.
func decodeFile(name string, data []byte) (any, func(string) (int, int), error) {
	if strings.HasSuffix(name, ".json") {
		return decodeJSON(data)
	}
	return decodeYAML(data)
}

// decodeJSON decodes a JSON file with internal/jsondoc. Positions are those of values
// (where a member's value starts, not its name), as the YAML decoder reports them, so
// that a finding is positioned alike whichever syntax the file uses.
func decodeJSON(data []byte) (any, func(string) (int, int), error) {
	doc, err := jsondoc.Decode(data, jsondoc.Limits{MaxDepth: maxDecodeDepth, MaxValues: maxDecodeNodes})
	if err != nil {
		var je *jsondoc.Error
		if errors.As(err, &je) {
			return nil, nil, &posError{line: je.Line, col: je.Column, msg: je.Msg}
		}
		return nil, nil, &posError{line: 1, col: 1, msg: err.Error()}
	}
	pos := func(ptr string) (int, int) {
		_, val, exact := doc.Lookup(ptr)
		if !exact {
			return 0, 0
		}
		return doc.LineCol(val)
	}
	return doc.Value, pos, nil
}

// decodeYAML decodes a YAML file with go.yaml.in/yaml/v3, recording the position of every
// value by JSON pointer.
func decodeYAML(data []byte) (any, func(string) (int, int), error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, nil, yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, nil, &posError{line: extra.Line, col: extra.Column, msg: "more than one document in the file"}
	}
	d := &decoder{pos: map[string]position{}}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		v, err := d.value(root.Content[0], "", 0)
		if err != nil {
			return nil, nil, err
		}
		return v, posFunc(d.pos), nil
	}
	return nil, nil, &posError{line: 1, col: 1, msg: "empty document"}
}

// posFunc looks positions up in a table by JSON pointer.
func posFunc(pos map[string]position) func(string) (int, int) {
	return func(ptr string) (int, int) {
		p, ok := pos[ptr]
		if !ok {
			return 0, 0
		}
		return p.line, p.col
	}
}

// yamlError turns a yaml.v3 error into a positioned error when its text carries a line.
func yamlError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	if line == 0 {
		line = 1
	}
	return &posError{line: line, col: 1, msg: "malformed JSON or YAML: " + msg}
}

func (d *decoder) value(n *yaml.Node, ptr string, depth int) (any, error) {
	d.nodes++
	if d.nodes > maxDecodeNodes {
		return nil, &posError{line: n.Line, col: n.Column, msg: "document too large (alias expansion?)"}
	}
	if depth > maxDecodeDepth {
		return nil, &posError{line: n.Line, col: n.Column, msg: fmt.Sprintf("document nests deeper than %d levels", maxDecodeDepth)}
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil, &posError{line: n.Line, col: n.Column, msg: "unknown alias"}
		}
		p := position{n.Line, n.Column}
		v, err := d.value(n.Alias, ptr, depth+1)
		d.pos[ptr] = p
		return v, err
	}
	d.pos[ptr] = position{n.Line, n.Column}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != "!!int" && k.Tag != "!!float" && k.Tag != "!!bool") {
				if k.Tag == "!!merge" {
					return nil, &posError{line: k.Line, col: k.Column, msg: "YAML merge keys (<<) are not supported in schemas"}
				}
				return nil, &posError{line: k.Line, col: k.Column, msg: "object keys must be strings"}
			}
			if _, dup := m[k.Value]; dup {
				return nil, &posError{line: k.Line, col: k.Column, msg: fmt.Sprintf("duplicate key %q", k.Value)}
			}
			child := ptr + "/" + escapePointer(k.Value)
			cv, err := d.value(v, child, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = cv
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			cv, err := d.value(c, ptr+"/"+strconv.Itoa(i), depth+1)
			if err != nil {
				return nil, err
			}
			s = append(s, cv)
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, &posError{line: n.Line, col: n.Column, msg: "unsupported YAML node"}
}

// scalar decodes a YAML scalar the way a JSON decoder would: numbers stay exact as
// json.Number, so big and fractional bounds compare exactly.
func scalar(n *yaml.Node) (any, error) {
	bad := func(msg string) error { return &posError{line: n.Line, col: n.Column, msg: msg} }
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, bad("invalid boolean " + strconv.Quote(n.Value))
		}
		return b, nil
	case "!!int", "!!float":
		s := strings.ReplaceAll(n.Value, "_", "")
		if json.Valid([]byte(s)) {
			if _, err := strconv.ParseFloat(s, 64); err == nil || strings.Contains(err.Error(), "range") {
				return json.Number(s), nil
			}
		}
		if n.Tag == "!!int" {
			if i, err := strconv.ParseInt(s, 0, 64); err == nil {
				return json.Number(strconv.FormatInt(i, 10)), nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, bad("number " + strconv.Quote(n.Value) + " cannot be represented in JSON")
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	case "!!str", "":
		return n.Value, nil
	case "!!binary", "!!timestamp":
		return n.Value, nil
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return nil, bad("custom YAML tag " + n.Tag + " is not supported")
	}
	return n.Value, nil
}

// escapePointer escapes one JSON pointer token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// unescapePointer reverses escapePointer.
func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// splitRef splits "path#/pointer" into its path and pointer (without '#').
func splitRef(ref string) (string, string) {
	p, frag, _ := strings.Cut(ref, "#")
	return p, frag
}

// DecodeDocument decodes one schema file as Compare reads it (JSON for a .json name,
// YAML otherwise), with positions; a problem in the file is a positioned *compat.Error.
func DecodeDocument(path string, data []byte) (Document, error) {
	v, pos, err := decodeFile(path, data)
	if err != nil {
		if pe, ok := err.(*posError); ok {
			return Document{}, &compat.Error{Pos: compat.Position{File: path, Line: pe.line, Column: pe.col}, Msg: pe.msg}
		}
		return Document{}, &compat.Error{Pos: compat.Position{File: path}, Msg: err.Error()}
	}
	return Document{Path: path, Value: v, Pos: pos}, nil
}
