package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/jsondoc"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of decoded documents and of every walk over them, so that a
// hostile input cannot exhaust the stack.
const maxDepth = 512

// maxRefHops bounds a chain of $ref objects that point at further $ref objects.
const maxRefHops = 64

// file is one decoded file of a version: its JSON value, which the comparison walks and
// hands to the JSON Schema engine, and what is kept for positions (the YAML node tree, or
// the JSON decoder's position tree).
type file struct {
	path  string
	node  *yaml.Node   // the content node of a YAML document; nil otherwise
	json  *jsondoc.Doc // the positions of a JSON document; nil otherwise
	value any
}

// spec is one loaded version of an API.
type spec struct {
	src     compat.Source
	root    string // path of the root document
	files   map[string]*file
	version string // "3.0" or "3.1": the schema dialect of the documents
	swagger bool   // converted from Swagger 2.0: positions only name the root file
	doc     map[string]any
	// schemaRoots holds every schema reached from an OpenAPI object or through a $ref;
	// the outermost ones become the documents handed to the JSON Schema engine.
	schemaRoots map[loc]bool
	units       *units
	// directives lists the x-compatcheck-ignore extensions of the version, in the order
	// they were found; only those of the new version are read.
	directives []directiveAt
}

// loc is a location in a version: a file and a JSON pointer inside it.
type loc struct {
	file string
	ptr  string
}

func (l loc) child(tokens ...string) loc {
	p := l.ptr
	for _, t := range tokens {
		p += "/" + escapeToken(t)
	}
	return loc{l.file, p}
}

// ref returns the "path#/pointer" spelling the JSON Schema engine uses.
func (l loc) ref() string { return l.file + "#" + l.ptr }

func escapeToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

func unescapeToken(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// load reads one version of an API from src: it finds the root document, checks its
// version, converts Swagger 2.0 and decodes every file the root reaches through $ref.
func load(src compat.Source) (*spec, error) {
	s := &spec{src: src, files: map[string]*file{}}
	root, err := s.findRoot()
	if err != nil {
		return nil, err
	}
	s.root = root
	f := s.files[root]
	doc, ok := f.value.(map[string]any)
	if !ok {
		return nil, s.errAt(loc{root, ""}, "the root document is not a mapping")
	}
	if v, ok := doc["swagger"]; ok {
		if str, _ := v.(string); str != "2.0" {
			return nil, s.errAt(loc{root, "/swagger"}, "unsupported Swagger version %v (want 2.0, or OpenAPI 3.0.x or 3.1.x)", v)
		}
		if err := s.convertSwagger(f); err != nil {
			return nil, err
		}
		doc = f.value.(map[string]any)
	}
	v, _ := doc["openapi"].(string)
	switch {
	case strings.HasPrefix(v, "3.0.") || v == "3.0":
		s.version = "3.0"
	case strings.HasPrefix(v, "3.1.") || v == "3.1":
		s.version = "3.1"
	default:
		return nil, s.errAt(loc{root, "/openapi"}, "unsupported OpenAPI version %v (want 3.0.x, 3.1.x or Swagger 2.0)", doc["openapi"])
	}
	s.doc = doc
	return s, nil
}

// findRoot picks the root document: the Source's file, or in a directory the one YAML or
// JSON file with a top-level openapi or swagger key.
func (s *spec) findRoot() (string, error) {
	if s.src.File != "" {
		if _, err := s.file(s.src.File); err != nil {
			return "", err
		}
		return s.src.File, nil
	}
	names, err := s.src.Files(".yaml", ".yml", ".json")
	if err != nil {
		return "", err
	}
	var roots []string
	for _, name := range names {
		f, err := s.file(name)
		if err != nil {
			return "", err
		}
		if m, ok := f.value.(map[string]any); ok {
			_, a := m["openapi"]
			_, b := m["swagger"]
			if a || b {
				roots = append(roots, name)
			}
		}
	}
	switch len(roots) {
	case 0:
		return "", s.src.Errorf("", 0, 0, "no OpenAPI document: no YAML or JSON file has a top-level openapi or swagger key")
	case 1:
		return roots[0], nil
	}
	return "", s.src.Errorf("", 0, 0, "more than one root OpenAPI document (%s): pass the root file instead of the directory", strings.Join(roots, ", "))
}

// file returns the decoded file name, reading it through the Source on first use.
//
// A file whose text is a JSON object or array is decoded by internal/jsondoc (a maintained
// streaming JSON decoder with byte offsets), which is twice as fast as the YAML decoder on
// Stripe-sized specs and reads every escape JSON has. A .json file is held to JSON and its
// syntax errors are reported as such; a YAML file that merely starts with "{" (a YAML flow
// mapping, which may use YAML's own syntax) falls back to the YAML decoder.
func (s *spec) file(name string) (*file, error) {
	if f, ok := s.files[name]; ok {
		return f, nil
	}
	data, err := s.src.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if looksLikeJSON(data) {
		doc, err := jsondoc.Decode(data, jsondoc.Limits{MaxDepth: maxDepth})
		if err == nil {
			f := &file{path: name, json: doc, value: doc.Value}
			s.files[name] = f
			return f, nil
		}
		if strings.HasSuffix(strings.ToLower(name), ".json") {
			if je, ok := err.(*jsondoc.Error); ok {
				return nil, s.src.Errorf(name, je.Line, je.Column, "%s", je.Msg)
			}
			return nil, s.src.Errorf(name, 0, 0, "%v", err)
		}
	}
	node, value, err := decode(data)
	if err != nil {
		if pe, ok := err.(*posError); ok {
			return nil, s.src.Errorf(name, pe.line, pe.col, "%s", pe.msg)
		}
		return nil, s.src.Errorf(name, 0, 0, "%v", err)
	}
	f := &file{path: name, node: node, value: value}
	s.files[name] = f
	return f, nil
}

// looksLikeJSON reports whether data starts, past a byte order mark and white space, with
// a JSON object or array.
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	return len(data) > 0 && (data[0] == '{' || data[0] == '[')
}

// convertSwagger replaces a Swagger 2.0 root document by its OpenAPI 3.0 conversion.
// Positions inside the converted document cannot be mapped back, so findings name only the
// root file.
func (s *spec) convertSwagger(f *file) error {
	raw, err := json.Marshal(f.value)
	if err != nil {
		return s.errAt(loc{f.path, ""}, "cannot read Swagger 2.0 document: %v", err)
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(raw, &doc2); err != nil {
		return s.errAt(loc{f.path, ""}, "invalid Swagger 2.0 document: %v", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return s.errAt(loc{f.path, ""}, "cannot convert Swagger 2.0 to OpenAPI 3: %v", err)
	}
	raw, err = json.Marshal(doc3)
	if err != nil {
		return s.errAt(loc{f.path, ""}, "cannot convert Swagger 2.0 to OpenAPI 3: %v", err)
	}
	_, value, err := decode(raw)
	if err != nil {
		return s.errAt(loc{f.path, ""}, "cannot convert Swagger 2.0 to OpenAPI 3: %v", err)
	}
	f.value = value
	f.node, f.json = nil, nil
	s.swagger = true
	return nil
}

// posError is a decoding problem at a line and column of the file being decoded.
type posError struct {
	line, col int
	msg       string
}

func (e *posError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

// decode parses YAML or JSON into a node tree and a JSON value. Aliases are expanded into
// the value under a budget proportional to the file's size, so an alias bomb ("billion
// laughs") fails quickly instead of exhausting memory.
func decode(data []byte) (*yaml.Node, any, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		msg := err.Error()
		line := 0
		// yaml.v3 reports "yaml: line N: message".
		if rest, ok := strings.CutPrefix(msg, "yaml: line "); ok {
			if n, after, ok := strings.Cut(rest, ": "); ok {
				if l, err := strconv.Atoi(n); err == nil {
					line, msg = l, after
				}
			}
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		if msg == "EOF" {
			msg = "empty document"
		}
		return nil, nil, &posError{line: line, col: 0, msg: "malformed YAML or JSON: " + msg}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil, &posError{line: 1, col: 1, msg: "empty document"}
	}
	d := &decoder{budget: 4*len(data) + 1024}
	v, err := d.value(doc.Content[0], 0)
	if err != nil {
		return nil, nil, err
	}
	return doc.Content[0], v, nil
}

type decoder struct {
	budget int // how many more values may be produced
}

func (d *decoder) value(n *yaml.Node, depth int) (any, error) {
	d.budget--
	if d.budget < 0 {
		return nil, &posError{n.Line, n.Column, "document expands to too many values (YAML alias bomb?)"}
	}
	if depth > maxDepth {
		return nil, &posError{n.Line, n.Column, "document is nested too deeply"}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, &posError{n.Line, n.Column, "unknown YAML alias"}
		}
		return d.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		if err := d.mapping(n, out, depth); err != nil {
			return nil, err
		}
		return out, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, &posError{n.Line, n.Column, "unexpected YAML node"}
}

func (d *decoder) mapping(n *yaml.Node, out map[string]any, depth int) error {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return &posError{k.Line, k.Column, "mapping keys must be strings"}
		}
		if _, dup := out[k.Value]; dup {
			return &posError{k.Line, k.Column, fmt.Sprintf("duplicate key %q", k.Value)}
		}
		val, err := d.value(v, depth+1)
		if err != nil {
			return err
		}
		out[k.Value] = val
	}
	// Merge keys ("<<: *base") fill in what the mapping does not say itself.
	for _, m := range merges {
		for m.Kind == yaml.AliasNode && m.Alias != nil {
			m = m.Alias
		}
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, src := range srcs {
			for src.Kind == yaml.AliasNode && src.Alias != nil {
				src = src.Alias
			}
			if src.Kind != yaml.MappingNode {
				return &posError{m.Line, m.Column, "merge key needs a mapping"}
			}
			tmp := map[string]any{}
			if err := d.mapping(src, tmp, depth+1); err != nil {
				return err
			}
			for k, v := range tmp {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
		}
	}
	return nil
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, &posError{n.Line, n.Column, err.Error()}
		}
		return b, nil
	case "!!int":
		if isJSONNumber(n.Value) {
			return json.Number(n.Value), nil
		}
		var i int64
		if err := n.Decode(&i); err != nil {
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, &posError{n.Line, n.Column, "invalid integer " + n.Value}
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		if isJSONNumber(n.Value) {
			return json.Number(n.Value), nil
		}
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &posError{n.Line, n.Column, "number " + n.Value + " cannot be represented in JSON"}
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	// Strings, timestamps and binary stay text: OpenAPI documents are JSON values.
	return n.Value, nil
}

func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	return json.Valid([]byte(s)) && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && !(len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9')
}

// at returns the value at pointer ptr of a value, or false.
func at(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if ptr[0] != '/' {
		return nil, false
	}
	for rest := ptr[1:]; ; {
		tok, more, found := strings.Cut(rest, "/") // no token list: this runs for every lookup
		rest = more
		tok = unescapeToken(tok)
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
		if !found {
			return v, true
		}
	}
}

// get returns the value at l.
func (s *spec) get(l loc) (any, bool) {
	f, err := s.file(l.file)
	if err != nil {
		return nil, false
	}
	return at(f.value, l.ptr)
}

// pos returns the position of the value at l, as findings report it.
func (s *spec) pos(l loc) *compat.Position {
	line, col := s.lineCol(l.file, l.ptr)
	return compat.Pos(l.file, line, col)
}

// lineCol walks the YAML node tree of a file along a JSON pointer. Positions of a key's
// value are those of its key, which is where a reader looks.
func (s *spec) lineCol(name, ptr string) (int, int) {
	f, ok := s.files[name]
	if !ok {
		return 0, 0
	}
	if f.json != nil {
		keyOff, _, _ := f.json.Lookup(ptr)
		return f.json.LineCol(keyOff)
	}
	if f.node == nil {
		return 0, 0
	}
	n := f.node
	line, col := n.Line, n.Column
	if ptr == "" {
		return line, col
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapeToken(tok)
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					line, col = n.Content[i].Line, n.Content[i].Column
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line, col = next.Line, next.Column
			}
		}
		if next == nil {
			return line, col
		}
		n = next
	}
	return line, col
}

// errAt returns a positioned input error at l.
func (s *spec) errAt(l loc, format string, args ...any) error {
	line, col := s.lineCol(l.file, l.ptr)
	return s.src.Errorf(l.file, line, col, format, args...)
}

// resolveRef turns a $ref found at l into the location it names. Remote references and
// references that climb out of the input tree are refused, never fetched.
func (s *spec) resolveRef(l loc, ref string) (loc, error) {
	file, frag, _ := strings.Cut(ref, "#")
	if strings.Contains(file, "://") || strings.HasPrefix(file, "//") || strings.Contains(file, ":") {
		return loc{}, s.errAt(l, "remote reference %q is not allowed: every $ref must name a file inside the input tree", ref)
	}
	target := l.file
	if file != "" {
		if strings.HasPrefix(file, "/") {
			return loc{}, s.errAt(l, "absolute reference %q is not allowed: use a path relative to the referring file", ref)
		}
		target = path.Join(path.Dir(l.file), file)
		if target == ".." || strings.HasPrefix(target, "../") {
			return loc{}, s.errAt(l, "reference %q climbs out of the input tree", ref)
		}
		if _, err := s.file(target); err != nil {
			if ce, ok := err.(*compat.Error); ok && ce.Pos.Line == 0 {
				// The file cannot be read: say so where the reference is.
				return loc{}, s.errAt(l, "cannot resolve reference %q: %s", ref, ce.Msg)
			}
			return loc{}, err // a syntax error inside the referenced file, at its position
		}
	}
	if frag != "" && frag[0] != '/' {
		return loc{}, s.errAt(l, "reference %q: only JSON pointer fragments are supported", ref)
	}
	to := loc{target, frag}
	if _, ok := s.get(to); !ok {
		// A fragment is a URI fragment: characters such as { } and spaces in path
		// templates and media types are percent-encoded (RFC 6901, section 6). The
		// pointer as written is tried first, for keys that hold a literal %.
		dec, err := url.PathUnescape(frag)
		if to = (loc{target, dec}); err != nil || dec == frag {
			return loc{}, s.errAt(l, "reference %q names nothing", ref)
		}
		if _, ok := s.get(to); !ok {
			return loc{}, s.errAt(l, "reference %q names nothing", ref)
		}
	}
	return to, nil
}

// deref returns the OpenAPI object at l, following $ref objects as bundlers do (relative
// to the referring file, inside the input tree only, never the network) until it reaches
// an object that is not a reference, and refusing cycles of references that hold no
// structure. An absent or null value gives a nil object; any other value that is not an
// object is an error, so that no part of a document goes unread.
func (s *spec) deref(l loc) (loc, map[string]any, error) {
	v, ok := s.get(l)
	if !ok || v == nil {
		return l, nil, nil
	}
	at, m, err := s.derefValue(l, v)
	if err != nil || m != nil {
		return at, m, err
	}
	if tv, _ := s.get(at); tv != nil {
		return at, nil, s.errAt(at, "expected an object, found %s", describe(tv))
	}
	return at, nil, nil
}

// derefList is deref for the places that hold a list (parameters): the list at l, or at
// the end of the $refs it is written as.
func (s *spec) derefList(l loc) (loc, []any, error) {
	v, ok := s.get(l)
	if !ok || v == nil {
		return l, nil, nil
	}
	if list, ok := v.([]any); ok {
		return l, list, nil
	}
	at, m, err := s.derefValue(l, v)
	if err != nil {
		return at, nil, err
	}
	tv, _ := s.get(at)
	if list, ok := tv.([]any); ok && m == nil {
		return at, list, nil
	}
	return at, nil, s.errAt(at, "expected a list, found %s", describe(tv))
}

// describe names the JSON type of a decoded value for error messages.
func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

// derefValue is deref for the value v at l, which the caller already holds.
func (s *spec) derefValue(l loc, v any) (loc, map[string]any, error) {
	var seen []loc // at most maxRefHops: a list beats a map allocated for every $ref
	for hops := 0; ; hops++ {
		m, ok := v.(map[string]any)
		if !ok {
			return l, nil, nil
		}
		ref, isRef := m["$ref"].(string)
		if !isRef {
			return l, m, nil
		}
		if slices.Contains(seen, l) || hops > maxRefHops {
			return l, nil, s.errAt(l, "$ref cycle: %q leads back to itself without any content", ref)
		}
		seen = append(seen, l)
		to, err := s.resolveRef(l.child("$ref"), ref)
		if err != nil {
			return l, nil, err
		}
		l = to
		v, _ = s.get(l)
	}
}

// sortedKeys returns the keys of m in order, for deterministic walks.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
