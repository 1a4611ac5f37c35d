package openapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// jnode records the positions of one JSON object or array: where each member (its key,
// for objects) starts, and the nodes of members that are themselves containers. Scalars
// need no node: findings about a scalar point at its key.
type jnode struct {
	keys []string // object member names, in order; nil for arrays
	pos  []int32  // line, column of each member (pairs)
	kids []*jnode // node of each member; nil for scalars
}

// jsonParser decodes JSON into the same values the YAML decoder produces, with positions,
// several times faster than yaml.v3 on large documents such as Stripe's.
type jsonParser struct {
	data            []byte
	i               int
	line, lineStart int
	// colPos and colNum cache the column of data[colPos] on the current line: the parser
	// only moves forward, so each column is counted from the last one. Counting from the
	// line's start made a minified document (one line of megabytes) quadratic: 130 s for
	// Stripe's spec.
	colPos, colNum int
}

// decodeJSON parses a JSON document. ok is false when data is not plain JSON, so that the
// caller falls back to the YAML decoder (which also reports errors with positions).
func decodeJSON(data []byte) (v any, n *jnode, ok bool) {
	p := &jsonParser{data: data, line: 1, colNum: 1}
	defer func() {
		if r := recover(); r != nil {
			if _, bad := r.(jsonSyntax); bad {
				v, n, ok = nil, nil, false
				return
			}
			panic(r)
		}
	}()
	p.space()
	v, n = p.value(0)
	p.space()
	if p.i != len(p.data) {
		return nil, nil, false
	}
	return v, n, true
}

// jsonSyntax aborts the fast path; the YAML decoder then reports the problem.
type jsonSyntax struct{}

func (p *jsonParser) fail() { panic(jsonSyntax{}) }

func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r':
		case '\n':
			p.line++
			p.lineStart = p.i + 1
		default:
			return
		}
		p.i++
	}
}

func (p *jsonParser) col() int32 {
	if p.colPos < p.lineStart {
		p.colPos, p.colNum = p.lineStart, 1
	}
	p.colNum += utf8.RuneCount(p.data[p.colPos:p.i])
	p.colPos = p.i
	return int32(p.colNum)
}

func (p *jsonParser) value(depth int) (any, *jnode) {
	if depth > maxDepth || p.i >= len(p.data) {
		p.fail()
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str(), nil
	case c == 't':
		p.literal("true")
		return true, nil
	case c == 'f':
		p.literal("false")
		return false, nil
	case c == 'n':
		p.literal("null")
		return nil, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(), nil
	}
	p.fail()
	return nil, nil
}

func (p *jsonParser) literal(s string) {
	if !strings.HasPrefix(string(p.data[p.i:min(len(p.data), p.i+len(s))]), s) {
		p.fail()
	}
	p.i += len(s)
}

func (p *jsonParser) number() json.Number {
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			p.i++
			continue
		}
		break
	}
	s := string(p.data[start:p.i])
	if !isJSONNumber(s) {
		p.fail()
	}
	return json.Number(s)
}

func (p *jsonParser) str() string {
	start := p.i
	p.i++
	escaped := false
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			raw := p.data[start:p.i]
			if !escaped {
				if !utf8.Valid(raw) {
					p.fail()
				}
				return string(raw[1 : len(raw)-1])
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				p.fail()
			}
			return s
		case c == '\\':
			escaped = true
			p.i += 2
			continue
		case c < 0x20:
			p.fail()
		}
		p.i++
	}
	p.fail()
	return ""
}

func (p *jsonParser) object(depth int) (any, *jnode) {
	p.i++ // {
	out := map[string]any{}
	n := &jnode{keys: []string{}}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return out, n
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			p.fail()
		}
		line, col := int32(p.line), p.col()
		k := p.str()
		if _, dup := out[k]; dup {
			p.fail() // the YAML decoder reports the duplicate with its position
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			p.fail()
		}
		p.i++
		p.space()
		v, kid := p.value(depth + 1)
		out[k] = v
		n.keys = append(n.keys, k)
		n.pos = append(n.pos, line, col)
		n.kids = append(n.kids, kid)
		p.space()
		if p.i >= len(p.data) {
			p.fail()
		}
		if p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.data[p.i] == '}' {
			p.i++
			return out, n
		}
		p.fail()
	}
}

func (p *jsonParser) array(depth int) (any, *jnode) {
	p.i++ // [
	out := []any{}
	n := &jnode{}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return out, n
	}
	for {
		p.space()
		line, col := int32(p.line), p.col()
		v, kid := p.value(depth + 1)
		out = append(out, v)
		n.pos = append(n.pos, line, col)
		n.kids = append(n.kids, kid)
		p.space()
		if p.i >= len(p.data) {
			p.fail()
		}
		if p.data[p.i] == ',' {
			p.i++
			continue
		}
		if p.data[p.i] == ']' {
			p.i++
			return out, n
		}
		p.fail()
	}
}

// lineCol walks the position tree along a JSON pointer, like the YAML walk.
func (n *jnode) lineCol(ptr string) (int, int) {
	line, col := 1, 1
	if ptr == "" {
		return line, col
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		if n == nil {
			break
		}
		tok = unescapeToken(tok)
		idx := -1
		if n.keys != nil {
			for i, k := range n.keys {
				if k == tok {
					idx = i
					break
				}
			}
		} else if _, err := fmt.Sscanf(tok, "%d", &idx); err != nil || idx < 0 || idx >= len(n.kids) || itoa(idx) != tok {
			idx = -1
		}
		if idx < 0 {
			break
		}
		line, col = int(n.pos[2*idx]), int(n.pos[2*idx+1])
		n = n.kids[idx]
	}
	return line, col
}
