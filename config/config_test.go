package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/compat/openapi"
	"github.com/compatcheck/compatcheck/compat/proto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// example is one configuration of testdata/valid or testdata/invalid. An invalid one
// ends with "# want: <error>", the decoder's exact message; "# schema: accepts (why)"
// or "# schema: skip (why)" says where the JSON Schema cannot judge it the same.
type example struct {
	file, want, schema string
	data               []byte
}

func examples(t *testing.T, dir string) []example {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var out []example
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		ex := example{file: f, data: data}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "# want: "); ok {
				ex.want = rest
			}
			if rest, ok := strings.CutPrefix(line, "# schema: "); ok {
				ex.schema, _, _ = strings.Cut(rest, " ")
			}
		}
		if dir == "invalid" {
			require.NotEmpty(t, ex.want, "%s has no # want: line", f)
		}
		out = append(out, ex)
	}
	return out
}

func TestValidExamples(t *testing.T) {
	for _, ex := range examples(t, "valid") {
		t.Run(filepath.Base(ex.file), func(t *testing.T) {
			_, err := Parse("compatcheck.yaml", ex.data)
			require.NoError(t, err)
		})
	}
}

// TestInvalidExamples checks every refusal and its file:line:col. The messages are the
// user interface of a strict format, so each one is written out in full.
func TestInvalidExamples(t *testing.T) {
	for _, ex := range examples(t, "invalid") {
		t.Run(filepath.Base(ex.file), func(t *testing.T) {
			_, err := Parse("compatcheck.yaml", ex.data)
			require.Error(t, err)
			assert.Equal(t, ex.want, err.Error())
			var ce *compat.Error
			require.ErrorAs(t, err, &ce, "errors are positioned *compat.Error values")
			assert.Equal(t, "compatcheck.yaml", ce.Pos.File)
			assert.NotZero(t, ce.Pos.Line, "every refusal names a line")
		})
	}
}

func TestParseFull(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid", "full.yaml"))
	require.NoError(t, err)
	cfg, err := Parse(filepath.Join("repo", "compatcheck.yaml"), data)
	require.NoError(t, err)
	assert.Equal(t, "repo", cfg.Dir)
	assert.Equal(t, []string{"**/node_modules/**", "package.json"}, cfg.Excludes)
	require.Len(t, cfg.Contracts, 4)

	shop := cfg.Contract("shop-api")
	require.NotNil(t, shop)
	assert.Equal(t, "proto", shop.Path)
	assert.Equal(t, compat.KindProto, shop.Kind)
	assert.Equal(t, []proto.Encoding{proto.Wire, proto.JSON}, shop.Options.Proto.Encodings)
	assert.True(t, shop.Options.Proto.StrictJSONReaders)
	assert.True(t, shop.Options.Proto.FullCheck)
	assert.Equal(t, []string{"third_party"}, shop.Options.Proto.ImportPaths)
	assert.Equal(t, []string{"third_party/**"}, shop.Excludes)
	assert.Equal(t, compat.Position{File: "repo/compatcheck.yaml", Line: 11, Column: 5}, shop.Pos)

	api := cfg.Contract("public-api")
	assert.Equal(t, openapi.Internal, api.Options.OpenAPI.Audience)
	assert.Equal(t, "strict", api.Options.OpenAPI.Model.String())
	assert.Equal(t, jsonschema.RefsStrict, cfg.Contract("events").Options.JSONSchema.Refs)
	db := cfg.Contract("db")
	assert.Equal(t, 15, db.Options.SQL.PGVersion)
	assert.EqualValues(t, "golang-migrate", db.Options.SQL.Layout)

	require.Len(t, cfg.Rules.Use, 3)
	assert.Equal(t, compat.Breaking, cfg.Rules.Use[0].Class)
	assert.Equal(t, "FIELD_ADDED", cfg.Rules.Use[2].Rule)
	assert.Equal(t, "FIELD_ADDED", cfg.Rules.Use[2].String())
	assert.Equal(t, "read-tolerant", cfg.Rules.Use[1].String())

	require.Len(t, cfg.Ignores, 3)
	assert.Equal(t, Ignore{Rule: "FIELD_NUMBER_CHANGED", Contract: "shop-api", Subject: "shop.v1.Legacy.*",
		Reason: "the Legacy message has had no writers since release 40", Expires: "2031-12-31",
		Pos:         compat.Position{File: "repo/compatcheck.yaml", Line: 44, Column: 5},
		contractPos: compat.Position{File: "repo/compatcheck.yaml", Line: 45, Column: 15}}, *cfg.Ignores[0])

	// The policy: read-tolerant fails at the top level; public-api fails on breaking
	// only; events inherits fail-on and adds hazards and BACKWARD.
	p := cfg.Policy()
	rt := compat.Finding{Rule: "X", Backward: true}
	assert.True(t, p.Fails(rt))
	rt.Contract = "public-api"
	assert.False(t, p.Fails(rt))
	rt.Contract = "events"
	assert.True(t, p.Fails(rt))
	assert.Equal(t, compat.ReadTolerant, p.Contracts["events"].FailOn)
	assert.True(t, p.Contracts["events"].Hazards)
	assert.True(t, p.Contracts["events"].Require.Backward)
	_, own := p.Contracts["db"]
	assert.False(t, own, "a contract without its own thresholds takes the top level's")
}

func TestParseDefaults(t *testing.T) {
	cfg, err := Parse("compatcheck.yaml", []byte("version: 1\ncontracts: [{name: a, path: ./api/}]\n"))
	require.NoError(t, err)
	assert.Equal(t, "api", cfg.Contracts[0].Path, "paths are cleaned")
	assert.Equal(t, ".", cfg.Dir)
	p := cfg.Policy()
	assert.True(t, p.Fails(compat.Finding{Rule: "X"}), "breaking fails by default")
	assert.False(t, p.Fails(compat.Finding{Rule: "X", Backward: true}))
	assert.Nil(t, p.Contracts)
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "compatcheck.yaml")
	require.NoError(t, os.WriteFile(file, []byte("version: 1\ncontracts: [{name: a, path: a}]\n"), 0o644))
	cfg, err := Load(file)
	require.NoError(t, err)
	assert.Equal(t, dir, cfg.Dir)
	_, err = Load(filepath.Join(dir, "nope.yaml"))
	assert.EqualError(t, err, filepath.Join(dir, "nope.yaml")+": no such configuration file")
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, maxFileSize+1), 0o644))
	_, err = Load(big)
	assert.EqualError(t, err, big+": configuration file is larger than 1 MiB")
}
