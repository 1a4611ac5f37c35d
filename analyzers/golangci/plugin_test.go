package golangci

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("compatcheck")
	require.NoError(t, err)
	// Settings arrive as golangci-lint decodes its YAML: maps and slices of any.
	p, err := newPlugin(map[string]any{
		"gates":      []any{"example.com/flags.Enabled"},
		"pg-version": 15,
		"disable":    []any{"compatgoose"},
	})
	require.NoError(t, err)
	assert.Equal(t, register.LoadModeTypesInfo, p.GetLoadMode())
	as, err := p.BuildAnalyzers()
	require.NoError(t, err)
	var names []string
	for _, a := range as {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"compatbaseline", "compatwrite", "compatjson"}, names)
	assert.Equal(t, "example.com/flags.Enabled", as[1].Flags.Lookup("gates").Value.String())
}

func TestSettingsAreStrict(t *testing.T) {
	_, err := New(map[string]any{"gate": []any{"x.F"}})
	assert.ErrorContains(t, err, `compatcheck: decoding settings: json: unknown field "gate"`)
	_, err = New(map[string]any{"pg-version": "16"})
	assert.ErrorContains(t, err, "cannot unmarshal string")
	_, err = New(map[string]any{"disable": []any{"compatjsn"}})
	assert.EqualError(t, err, `compatcheck: disable: unknown analyzer "compatjsn" (want one of compatbaseline, compatwrite, compatjson, compatgoose)`)
	p, err := New(nil)
	require.NoError(t, err)
	as, _ := p.BuildAnalyzers()
	assert.Len(t, as, 4)
}
