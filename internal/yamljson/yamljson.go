// Package yamljson turns YAML documents into the values a JSON Schema validator judges,
// so that tests can validate YAML files (configurations, workflows, action metadata)
// against their published JSON Schemas.
package yamljson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"
)

// Decode turns a YAML document into the values encoding/json would decode from the
// same document written as JSON, which is what a JSON Schema judges. Numbers are json.Number, dates stay strings as editors see them,
// aliases are followed, and a repeated key is an error, as JSON Schema tools refuse it.
// An empty document is nil.
func Decode(data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return nil, nil
	}
	return nodeToJSON(&doc)
}

func nodeToJSON(n *yaml.Node) (any, error) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.DocumentNode:
		return nodeToJSON(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: key %s repeated", n.Content[i].Line, k)
			}
			v, err := nodeToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := []any{}
		for _, item := range n.Content {
			v, err := nodeToJSON(item)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strconv.ParseBool(strings.ToLower(n.Value))
	case "!!int":
		i, err := strconv.ParseInt(n.Value, 0, 64)
		return json.Number(strconv.FormatInt(i, 10)), err
	case "!!float":
		return json.Number(n.Value), nil
	}
	return n.Value, nil
}

// Validate validates the YAML document doc against the JSON Schema in the file
// schemaFile (a SchemaStore schema, say). It returns the validation error, or an error
// wrapping fs.ErrNotExist when the schema file is absent, so that tests can skip.
func Validate(schemaFile string, doc []byte) error {
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	name := filepath.Base(schemaFile)
	if err := c.AddResource(name, bytes.NewReader(data)); err != nil {
		return err
	}
	s, err := c.Compile(name)
	if err != nil {
		return fmt.Errorf("compiling %s: %w", schemaFile, err)
	}
	v, err := Decode(doc)
	if err != nil {
		return err
	}
	return s.Validate(v)
}
