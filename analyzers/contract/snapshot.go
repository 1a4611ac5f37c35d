package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Version is the snapshot format this package writes. Decode refuses other versions, so a
// baseline written by a newer compatcheck is reported as such rather than misread.
const Version = 1

// Snapshot is what a package's contracts looked like: the part of each contract the
// analyzers compare with the current code. Every list is sorted by name, so that the same
// contracts always encode to the same bytes.
type Snapshot struct {
	// ProtoFiles lists the protobuf files whose descriptors the package's generated code
	// embeds.
	ProtoFiles []ProtoFile
	// ProtoEnums and ProtoServices are the enums (nested ones included) and services those
	// files declare.
	ProtoEnums    []ProtoEnum
	ProtoServices []ProtoService
	// JSONRoots names the Go types marked //compatcheck:contract (and, with
	// Options.JSONMarshaled, the types the package passes to encoding/json).
	JSONRoots []string
	// JSONDefs holds the derived JSON Schema of every named type the roots reach, by key
	// (the type's name, qualified by its package path outside the package).
	JSONDefs map[string]json.RawMessage
	// JSONFields maps, per struct definition, each JSON property name to the Go field
	// that produces it ("Name", or "Base.CreatedAt" for a promoted field), so that a Go
	// field whose JSON name changed is told apart from a removed one.
	JSONFields map[string]map[string]string
	// SQL lists the package's trees of migrations.
	SQL []SQLTree
}

// ProtoFile is one protobuf file of the package.
type ProtoFile struct {
	Path    string `json:"path"`
	Package string `json:"package,omitempty"`
}

// ProtoEnum is an enum type and its values.
type ProtoEnum struct {
	File string `json:"file"`
	// Name is the full name, such as shop.v1.Order.Kind.
	Name string `json:"name"`
	// Closed marks proto2 enums and editions enums with enum_type = CLOSED.
	Closed bool         `json:"closed,omitempty"`
	Values []ProtoValue `json:"values"`
}

// ProtoValue is one enum value.
type ProtoValue struct {
	Name   string `json:"name"`
	Number int32  `json:"number"`
}

// ProtoService is a service and its methods.
type ProtoService struct {
	File    string        `json:"file"`
	Name    string        `json:"name"`
	Methods []ProtoMethod `json:"methods"`
}

// ProtoMethod is one RPC method; Input and Output are full message names.
type ProtoMethod struct {
	Name            string `json:"name"`
	Input           string `json:"input"`
	Output          string `json:"output"`
	ClientStreaming bool   `json:"client_streaming,omitempty"`
	ServerStreaming bool   `json:"server_streaming,omitempty"`
}

// FullMethod returns the method's gRPC and Connect path, /package.Service/Method.
func (s ProtoService) FullMethod(m ProtoMethod) string { return "/" + s.Name + "/" + m.Name }

// SQLTree is one tree of migrations: the migrations it held and the enum labels they
// built.
type SQLTree struct {
	// Dir is the tree's directory relative to the package directory ("." or "migrations").
	Dir string `json:"dir"`
	// Migrations names the tree's migration files, Go migrations by their .go file.
	Migrations []string `json:"migrations"`
	// Enums are the enum types the migrations built, with their labels in order.
	Enums []SQLEnum `json:"enums,omitempty"`
}

// SQLEnum is an enum type built by migrations.
type SQLEnum struct {
	Name   string   `json:"name"`
	Labels []string `json:"labels"`
}

// Empty reports whether the snapshot holds no contract at all.
func (s *Snapshot) Empty() bool {
	return len(s.ProtoFiles) == 0 && len(s.JSONRoots) == 0 && len(s.SQL) == 0
}

// sort puts every list in its canonical order.
func (s *Snapshot) sort() {
	sort.Slice(s.ProtoFiles, func(i, j int) bool { return s.ProtoFiles[i].Path < s.ProtoFiles[j].Path })
	sort.Slice(s.ProtoEnums, func(i, j int) bool { return s.ProtoEnums[i].Name < s.ProtoEnums[j].Name })
	sort.Slice(s.ProtoServices, func(i, j int) bool { return s.ProtoServices[i].Name < s.ProtoServices[j].Name })
	sort.Strings(s.JSONRoots)
	sort.Slice(s.SQL, func(i, j int) bool { return s.SQL[i].Dir < s.SQL[j].Dir })
	for i := range s.SQL {
		sort.Strings(s.SQL[i].Migrations)
		sort.Slice(s.SQL[i].Enums, func(a, b int) bool { return s.SQL[i].Enums[a].Name < s.SQL[i].Enums[b].Name })
	}
}

// Encode writes the snapshot in its canonical form: a JSON object whose lists hold one
// element per line, so that a new release's baseline shows up in review as a diff of the
// elements that changed.
func (s *Snapshot) Encode() ([]byte, error) {
	c := *s
	c.sort()
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"compatcheck_baseline\": %d", Version)
	list := func(key string, n int, item func(i int) any) error {
		if n == 0 {
			return nil
		}
		fmt.Fprintf(&b, ",\n%q: [", key)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n  ")
			if err := compact(&b, item(i)); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
		}
		b.WriteString("\n]")
		return nil
	}
	object := func(key string, keys []string, item func(k string) any) error {
		if len(keys) == 0 {
			return nil
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, ",\n%q: {", key)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			name, _ := json.Marshal(k)
			fmt.Fprintf(&b, "\n  %s: ", name)
			if err := compact(&b, item(k)); err != nil {
				return fmt.Errorf("%s %s: %w", key, k, err)
			}
		}
		b.WriteString("\n}")
		return nil
	}
	err := errors.Join(
		list("proto_files", len(c.ProtoFiles), func(i int) any { return c.ProtoFiles[i] }),
		list("proto_enums", len(c.ProtoEnums), func(i int) any { return c.ProtoEnums[i] }),
		list("proto_services", len(c.ProtoServices), func(i int) any { return c.ProtoServices[i] }),
		list("json_roots", len(c.JSONRoots), func(i int) any { return c.JSONRoots[i] }),
		object("json_defs", keysOf(c.JSONDefs), func(k string) any { return c.JSONDefs[k] }),
		object("json_fields", keysOf(c.JSONFields), func(k string) any { return c.JSONFields[k] }),
		list("sql", len(c.SQL), func(i int) any { return c.SQL[i] }),
	)
	if err != nil {
		return nil, err
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// compact writes v as compact JSON with sorted object keys. Raw messages are re-encoded
// so that the snapshot is canonical whatever produced them.
func compact(b *bytes.Buffer, v any) error {
	if raw, ok := v.(json.RawMessage); ok {
		// Numbers stay json.Number so that 64-bit bounds keep every digit.
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var decoded any
		if err := dec.Decode(&decoded); err != nil {
			return err
		}
		v = decoded
	}
	var tmp bytes.Buffer
	enc := json.NewEncoder(&tmp)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Write(bytes.TrimRight(tmp.Bytes(), "\n"))
	return nil
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// DecodeError is a snapshot that cannot be read: Offset is the byte offset in the
// encoded snapshot where the problem is, so that callers can position it in the Go file
// holding the snapshot.
type DecodeError struct {
	Offset int
	Msg    string
}

func (e *DecodeError) Error() string { return e.Msg }

// wire is the encoded form Decode reads; unknown keys are refused.
type wire struct {
	Version       *int                         `json:"compatcheck_baseline"`
	ProtoFiles    []ProtoFile                  `json:"proto_files"`
	ProtoEnums    []ProtoEnum                  `json:"proto_enums"`
	ProtoServices []ProtoService               `json:"proto_services"`
	JSONRoots     []string                     `json:"json_roots"`
	JSONDefs      map[string]json.RawMessage   `json:"json_defs"`
	JSONFields    map[string]map[string]string `json:"json_fields"`
	SQL           []SQLTree                    `json:"sql"`
}

// Decode reads a snapshot written by Encode (any whitespace is accepted), refusing
// unknown keys, other versions and inconsistent contents with a *DecodeError.
func Decode(data []byte) (*Snapshot, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wire
	if err := dec.Decode(&w); err != nil {
		return nil, decodeError(dec, data, err)
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		for end < len(data) && strings.ContainsRune(" \t\r\n", rune(data[end])) {
			end++
		}
		return nil, &DecodeError{Offset: end, Msg: "unexpected data after the snapshot"}
	}
	switch {
	case w.Version == nil:
		return nil, &DecodeError{Msg: "not a compatcheck baseline: the compatcheck_baseline version key is missing"}
	case *w.Version != Version:
		return nil, &DecodeError{Offset: bytes.Index(data, []byte("compatcheck_baseline")),
			Msg: fmt.Sprintf("baseline format version %d is not supported (this compatcheck reads version %d)", *w.Version, Version)}
	}
	s := &Snapshot{
		ProtoFiles: w.ProtoFiles, ProtoEnums: w.ProtoEnums, ProtoServices: w.ProtoServices,
		JSONRoots: w.JSONRoots, JSONDefs: w.JSONDefs, JSONFields: w.JSONFields, SQL: w.SQL,
	}
	if msg, key := s.check(); msg != "" {
		off := 0
		if key != "" {
			if i := bytes.Index(data, []byte(key)); i >= 0 {
				off = i
			}
		}
		return nil, &DecodeError{Offset: off, Msg: msg}
	}
	return s, nil
}

// decodeError locates a JSON decoding error.
func decodeError(dec *json.Decoder, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The offset is just past the character that broke the syntax.
		return &DecodeError{Offset: max(int(syn.Offset)-1, 0), Msg: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		// The offset is past the value; the key it belongs to is the place to show.
		off := int(typ.Offset)
		key := typ.Field[strings.LastIndexByte(typ.Field, '.')+1:]
		if i := bytes.LastIndex(data[:min(off, len(data))], []byte(`"`+key+`"`)); i >= 0 {
			off = i
		}
		return &DecodeError{Offset: off, Msg: fmt.Sprintf("%s must be %s, not %s", typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &DecodeError{Offset: len(data), Msg: "the snapshot ends early"}
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		off := bytes.Index(data, []byte(strings.Trim(name, `"`)))
		return &DecodeError{Offset: max(off, 0), Msg: "unknown key " + name}
	}
	return &DecodeError{Offset: int(dec.InputOffset()), Msg: msg}
}

// check reports the first inconsistency of a decoded snapshot, and a key to locate it.
func (s *Snapshot) check() (msg, key string) {
	files := map[string]bool{}
	for _, f := range s.ProtoFiles {
		if f.Path == "" {
			return "a proto file has no path", "proto_files"
		}
		if files[f.Path] {
			return fmt.Sprintf("proto file %s is listed twice", f.Path), f.Path
		}
		files[f.Path] = true
	}
	names := map[string]bool{}
	for _, e := range s.ProtoEnums {
		switch {
		case e.Name == "":
			return "a proto enum has no name", "proto_enums"
		case !files[e.File]:
			return fmt.Sprintf("proto enum %s names file %q, which proto_files does not list", e.Name, e.File), e.Name
		case names[e.Name]:
			return fmt.Sprintf("proto enum %s is listed twice", e.Name), e.Name
		case len(e.Values) == 0:
			return fmt.Sprintf("proto enum %s has no values", e.Name), e.Name
		}
		names[e.Name] = true
		for _, v := range e.Values {
			if v.Name == "" {
				return fmt.Sprintf("a value of proto enum %s has no name", e.Name), e.Name
			}
		}
	}
	for _, sv := range s.ProtoServices {
		switch {
		case sv.Name == "":
			return "a proto service has no name", "proto_services"
		case !files[sv.File]:
			return fmt.Sprintf("proto service %s names file %q, which proto_files does not list", sv.Name, sv.File), sv.Name
		case names[sv.Name]:
			return fmt.Sprintf("%s is listed twice", sv.Name), sv.Name
		}
		names[sv.Name] = true
		for _, m := range sv.Methods {
			if m.Name == "" || m.Input == "" || m.Output == "" {
				return fmt.Sprintf("a method of proto service %s lacks its name, input or output", sv.Name), sv.Name
			}
		}
	}
	for _, r := range s.JSONRoots {
		if _, ok := s.JSONDefs[r]; !ok {
			return fmt.Sprintf("JSON contract %s has no entry in json_defs", r), r
		}
	}
	for k, d := range s.JSONDefs {
		var v map[string]any
		if err := json.Unmarshal(d, &v); err != nil {
			return fmt.Sprintf("json_defs %s is not a JSON Schema object", k), k
		}
	}
	dirs := map[string]bool{}
	for _, t := range s.SQL {
		if t.Dir == "" {
			return "an SQL tree has no dir", "sql"
		}
		if dirs[t.Dir] {
			return fmt.Sprintf("SQL tree %s is listed twice", t.Dir), t.Dir
		}
		dirs[t.Dir] = true
	}
	return "", ""
}
