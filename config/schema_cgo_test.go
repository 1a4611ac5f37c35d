//go:build cgo

package config

import (
	"testing"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
	"github.com/stretchr/testify/assert"
)

// TestSchemaSQLMatchesEngine checks what the cgo-free decoder repeats of the SQL engine:
// the layout names the schema offers and the PostgreSQL versions both accept.
func TestSchemaSQLMatchesEngine(t *testing.T) {
	s := schemaJSON(t)
	props := s["$defs"].(map[string]any)["contract"].(map[string]any)["properties"].(map[string]any)
	var enum []string
	for _, v := range props["sql-layout"].(map[string]any)["enum"].([]any) {
		enum = append(enum, v.(string))
	}
	var layouts []string
	for _, l := range compatcheck.SQLLayouts() {
		layouts = append(layouts, string(l))
	}
	assert.Equal(t, layouts, enum)
	pg := props["pg-version"].(map[string]any)
	assert.Equal(t, float64(sqlmigrate.MinPGVersion), pg["minimum"])
	assert.Equal(t, float64(sqlmigrate.MaxPGVersion), pg["maximum"])
	assert.Equal(t, sqlmigrate.MinPGVersion, minPG)
	assert.Equal(t, sqlmigrate.MaxPGVersion, maxPG)
}
