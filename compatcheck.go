// Package compatcheck compares two versions of a contract (protobuf, JSON Schema, OpenAPI
// or PostgreSQL migrations) and reports how each change behaves while both versions are
// live: additive, read-tolerant or breaking. It detects the kind of contract and hands the
// comparison to the engine for that kind; the engines and the format-free core live in
// the compat packages.
//
// Programs that already know their kind can call an engine directly, for example
// [github.com/compatcheck/compatcheck/compat/proto.Compare].
package compatcheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/compat/openapi"
	"github.com/compatcheck/compatcheck/compat/proto"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

// Options selects the kind of contract and each engine's options.
type Options struct {
	// Kind skips detection when set.
	Kind       compat.Kind
	Proto      proto.Options
	JSONSchema jsonschema.Options
	OpenAPI    openapi.Options
	SQL        sqlmigrate.Options
}

// Compare compares two versions of a contract and returns the report and the kind it
// compared. Input problems are returned as *compat.Error values with positions.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (*compat.Report, compat.Kind, error) {
	kind := opts.Kind
	if kind == "" {
		var err error
		if kind, err = DetectPair(old, new); err != nil {
			return nil, "", err
		}
	}
	var (
		r   *compat.Report
		err error
	)
	switch kind {
	case compat.KindProto:
		r, err = proto.Compare(ctx, old, new, opts.Proto)
	case compat.KindJSONSchema:
		r, err = jsonschema.Compare(ctx, old, new, opts.JSONSchema)
	case compat.KindOpenAPI:
		r, err = openapi.Compare(ctx, old, new, opts.OpenAPI)
	case compat.KindSQL:
		r, err = sqlmigrate.Compare(ctx, old, new, opts.SQL)
	default:
		return nil, "", fmt.Errorf("unknown kind %q (want proto, jsonschema, openapi or sql)", kind)
	}
	if err != nil {
		return nil, kind, err
	}
	r.Sort()
	return r, kind, nil
}

// ParseKind reads a --kind value.
func ParseKind(s string) (compat.Kind, error) {
	switch k := compat.Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case compat.KindProto, compat.KindJSONSchema, compat.KindOpenAPI, compat.KindSQL:
		return k, nil
	case "json-schema", "json_schema":
		return compat.KindJSONSchema, nil
	case "postgres", "postgresql", "sqlmigrate":
		return compat.KindSQL, nil
	}
	return "", fmt.Errorf("unknown kind %q (want proto, jsonschema, openapi or sql)", s)
}

// DetectPair detects the kind of both versions and insists they agree. A side with no
// recognizable files (an empty baseline, say) takes the other side's kind.
func DetectPair(old, new compat.Source) (compat.Kind, error) {
	ko, err := Detect(old)
	if err != nil {
		return "", err
	}
	kn, err := Detect(new)
	if err != nil {
		return "", err
	}
	switch {
	case ko == "" && kn == "":
		return "", &compat.Error{Pos: compat.Position{File: new.Describe()}, Msg: "no .proto, .sql, .json or .yaml files found; use --kind to say what to compare"}
	case ko == "":
		return kn, nil
	case kn == "" || ko == kn:
		return ko, nil
	}
	return "", &compat.Error{Pos: compat.Position{File: new.Describe()},
		Msg: fmt.Sprintf("OLD (%s) is %s but NEW is %s; compare two versions of the same kind of contract", old.Describe(), ko, kn)}
}

// Detect returns the kind of contract a source holds: .proto files are proto, .sql files
// are sql, JSON or YAML with a top-level "openapi" or "swagger" key is openapi, and other
// JSON or YAML is jsonschema. It returns "" when the source holds none of these.
func Detect(src compat.Source) (compat.Kind, error) {
	files, err := src.Files()
	if err != nil {
		return "", err
	}
	var proto, sql bool
	var docs []string
	for _, f := range files {
		switch strings.ToLower(path.Ext(f)) {
		case ".proto":
			proto = true
		case ".sql":
			sql = true
		case ".json", ".yaml", ".yml":
			docs = append(docs, f)
		}
	}
	switch {
	case proto && sql:
		return "", &compat.Error{Pos: compat.Position{File: src.Describe()}, Msg: "holds both .proto and .sql files; use --kind to say which to compare"}
	case proto:
		return compat.KindProto, nil
	case sql:
		return compat.KindSQL, nil
	case len(docs) == 0:
		return "", nil
	}
	for _, f := range docs {
		data, err := src.ReadFile(f)
		if err != nil {
			return "", err
		}
		if isOpenAPI(data) {
			return compat.KindOpenAPI, nil
		}
	}
	return compat.KindJSONSchema, nil
}

// isOpenAPI looks for a top-level "openapi" or "swagger" key without decoding the whole
// document: OpenAPI specs run to megabytes and are decoded again by the engine.
func isOpenAPI(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		if _, err := dec.Token(); err != nil {
			return false
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return false
			}
			if key, ok := tok.(string); ok && (key == "openapi" || key == "swagger") {
				return true
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return false
			}
		}
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), compat.MaxFileSize)
	for sc.Scan() {
		line := sc.Text()
		for _, key := range []string{"openapi:", "swagger:", `"openapi":`, `"swagger":`, `'openapi':`, `'swagger':`} {
			if strings.HasPrefix(line, key) {
				return true
			}
		}
	}
	return false
}
