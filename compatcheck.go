// Package compatcheck compares two versions of a contract (protobuf, JSON Schema, OpenAPI
// or PostgreSQL migrations) and reports how each change behaves while both versions are
// live: additive, read-tolerant or breaking. It detects the kind of contract and hands the
// comparison to the engine for that kind; the engines and the format-free core live in
// the compat packages.
//
// Programs that already know their kind can call an engine directly, for example
// [github.com/compatcheck/compatcheck/compat/proto.Compare].
//
// The SQL engine parses with libpg_query, which is C. This package reaches it only in
// builds with cgo (files sql_cgo.go and sql_nocgo.go), so a program that compares only
// protobuf, JSON Schema or OpenAPI builds with CGO_ENABLED=0 and needs no C compiler;
// comparing SQL in such a build returns [ErrSQLNeedsCgo].
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
)

// Options selects the kind of contract and each engine's options.
type Options struct {
	// Kind skips detection when set.
	Kind       compat.Kind
	Proto      proto.Options
	JSONSchema jsonschema.Options
	OpenAPI    openapi.Options
	SQL        SQLOptions
}

// Compare compares two versions of a contract and returns the report and the kind it
// compared. Input problems are returned as *compat.Error values with positions.
//
// A kind set in opts skips detection but must fit both versions (see [CheckKind]): a
// JSON Schema comparison of an OpenAPI document, or a SQL comparison of a directory of
// schemas, would find nothing and pass, so it is refused instead.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (*compat.Report, compat.Kind, error) {
	kind := opts.Kind
	if kind == "" {
		var err error
		if kind, err = DetectPair(old, new); err != nil {
			return nil, "", err
		}
	} else {
		if _, err := ParseKind(string(kind)); err != nil {
			return nil, "", err
		}
		for _, src := range []compat.Source{old, new} {
			if err := CheckKind(src, kind); err != nil {
				return nil, "", err
			}
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
		r, err = compareSQL(ctx, old, new, opts.SQL)
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
	inv, err := takeInventory(src)
	if err != nil {
		return "", err
	}
	switch {
	case inv.proto != "" && inv.sql != "":
		return "", &compat.Error{Pos: compat.Position{File: src.Describe()}, Msg: "holds both .proto and .sql files; use --kind to say which to compare"}
	case inv.proto != "":
		return compat.KindProto, nil
	case inv.sql != "":
		return compat.KindSQL, nil
	case inv.docs == 0:
		return "", nil
	}
	if err := inv.findOpenAPI(src); err != nil {
		return "", err
	}
	if inv.openapi != "" {
		return compat.KindOpenAPI, nil
	}
	return compat.KindJSONSchema, nil
}

// CheckKind reports whether kind fits what src holds, for a kind chosen by the user
// rather than detected. An override is legitimate where detection cannot decide or
// decides for another kind the source also holds: --kind proto or --kind sql on a
// directory holding both .proto and .sql files, --kind jsonschema on a directory of
// schemas that also holds .proto or .sql files. A source holding nothing the engines
// read (an empty baseline) fits every kind. It does not fit when it holds nothing of
// the kind: .proto files for proto, .sql files for sql, an OpenAPI document for openapi,
// JSON or YAML documents for jsonschema. And jsonschema does not fit a source holding an
// OpenAPI document, even among schemas: the JSON Schema engine would compare the
// document as a schema whose keywords it does not know, report nothing and pass. Such a
// directory is compared as jsonschema by excluding the document (Source.Exclude).
func CheckKind(src compat.Source, kind compat.Kind) error {
	inv, err := takeInventory(src)
	if err != nil {
		return err
	}
	if kind == compat.KindOpenAPI || kind == compat.KindJSONSchema {
		if err := inv.findOpenAPI(src); err != nil {
			return err
		}
	}
	if inv.proto == "" && inv.sql == "" && inv.docs == 0 {
		return nil
	}
	mismatch := func(format string, args ...any) error {
		return &compat.Error{Pos: compat.Position{File: src.Describe()},
			Msg: fmt.Sprintf("kind %s does not fit: ", kind) + fmt.Sprintf(format, args...) + "; leave the kind to detection (drop --kind, or kind: in compatcheck.yaml)"}
	}
	file := !src.IsDir()
	switch kind {
	case compat.KindProto:
		if inv.proto == "" && file {
			return mismatch("this is not a .proto file")
		} else if inv.proto == "" {
			return mismatch("there are no .proto files here (%s)", inv.describe())
		}
	case compat.KindSQL:
		if inv.sql == "" && file {
			return mismatch("this is not a .sql file")
		} else if inv.sql == "" {
			return mismatch("there are no .sql files here (%s)", inv.describe())
		}
	case compat.KindOpenAPI:
		if inv.openapi == "" && file {
			return mismatch("this file has no top-level openapi or swagger key")
		} else if inv.openapi == "" {
			return mismatch("no JSON or YAML file here has a top-level openapi or swagger key (%s)", inv.describe())
		}
	case compat.KindJSONSchema:
		if inv.openapi != "" {
			return &compat.Error{Pos: compat.Position{File: src.DisplayPath(inv.openapi)},
				Msg: "kind jsonschema does not fit: this is an OpenAPI document (a top-level openapi or swagger key), which a JSON Schema comparison would read as a schema of unknown keywords and pass without a finding; leave the kind to detection (drop --kind, or kind: in compatcheck.yaml), or exclude the document"}
		}
		if inv.docs == 0 && file {
			return mismatch("this is not a .json, .yaml or .yml file")
		} else if inv.docs == 0 {
			return mismatch("there are no .json, .yaml or .yml files here (%s)", inv.describe())
		}
	}
	return nil
}

// inventory is what detection sees in a source: the first file of each kind, and the
// JSON and YAML documents, of which the first OpenAPI one is looked for on demand
// (reading documents is the expensive part).
type inventory struct {
	proto, sql string
	docs       int
	docNames   []string
	openapi    string
	searched   bool
}

func takeInventory(src compat.Source) (*inventory, error) {
	files, err := src.Files()
	if err != nil {
		return nil, err
	}
	inv := &inventory{}
	for _, f := range files {
		switch strings.ToLower(path.Ext(f)) {
		case ".proto":
			if inv.proto == "" {
				inv.proto = f
			}
		case ".sql":
			if inv.sql == "" {
				inv.sql = f
			}
		case ".json", ".yaml", ".yml":
			inv.docs++
			inv.docNames = append(inv.docNames, f)
		}
	}
	return inv, nil
}

// findOpenAPI reads the documents until one is an OpenAPI document.
func (inv *inventory) findOpenAPI(src compat.Source) error {
	if inv.searched {
		return nil
	}
	inv.searched = true
	for _, f := range inv.docNames {
		data, err := src.ReadFile(f)
		if err != nil {
			return err
		}
		if isOpenAPI(data) {
			inv.openapi = f
			return nil
		}
	}
	return nil
}

// describe says what the source holds instead, for a message.
func (inv *inventory) describe() string {
	var what []string
	if inv.proto != "" {
		what = append(what, "protobuf files such as "+inv.proto)
	}
	if inv.sql != "" {
		what = append(what, "SQL files such as "+inv.sql)
	}
	if inv.openapi != "" {
		what = append(what, "the OpenAPI document "+inv.openapi)
	} else if inv.docs > 0 {
		what = append(what, "JSON or YAML documents such as "+inv.docNames[0])
	}
	return "it holds " + strings.Join(what, " and ")
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
