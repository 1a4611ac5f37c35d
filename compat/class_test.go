package compat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClassOf(t *testing.T) {
	tests := []struct {
		backward, forward, lag bool
		want                   Class
	}{
		{true, true, false, Additive},
		{true, false, false, ReadTolerant},
		// Forward-safe but not backward-safe is still breaking: old writers keep producing
		// what new readers reject.
		{false, true, false, Breaking},
		{false, false, false, Breaking},
		// Readers that cannot be upgraded first make a forward failure breaking.
		{true, false, true, Breaking},
		// ReadersLag is irrelevant when the change is forward-safe.
		{true, true, true, Additive},
	}
	for _, tt := range tests {
		f := Finding{Backward: tt.backward, Forward: tt.forward, ReadersLag: tt.lag}
		assert.Equal(t, tt.want, f.Class(), "B=%v F=%v lag=%v", tt.backward, tt.forward, tt.lag)
	}
}

func TestParseClass(t *testing.T) {
	for _, c := range []Class{None, Additive, ReadTolerant, Breaking} {
		got, err := ParseClass(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, got)
		text, err := c.MarshalText()
		require.NoError(t, err)
		var back Class
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, c, back)
	}
	got, err := ParseClass("READ_TOLERANT")
	require.NoError(t, err)
	assert.Equal(t, ReadTolerant, got)
	_, err = ParseClass("sometimes")
	assert.ErrorContains(t, err, `unknown class "sometimes"`)
	_, err = Class(42).MarshalText()
	assert.Error(t, err)
}

func TestPolicy(t *testing.T) {
	additive := Finding{Backward: true, Forward: true}
	tolerant := Finding{Backward: true, Forward: false}
	breaking := Finding{Backward: false, Forward: true}
	hazardous := Finding{Backward: true, Forward: true, Hazards: []Hazard{{Rule: "X"}}}
	suppressed := Finding{Backward: false, Suppressed: "reviewed in #12"}

	tests := []struct {
		name   string
		policy Policy
		want   []bool // additive, tolerant, breaking, hazardous, suppressed
	}{
		{"zero value fails breaking", Policy{}, []bool{false, false, true, false, false}},
		{"fail on read-tolerant", FailOn(ReadTolerant), []bool{false, true, true, false, false}},
		{"fail on additive", FailOn(Additive), []bool{true, true, true, true, false}},
		{"fail on none", FailOn(None), []bool{false, false, false, false, false}},
		{"forward mode", Policy{FailOn: None, failOnSet: true, Require: Requirement{Forward: true}}, []bool{false, true, false, false, false}},
		{"full mode", Policy{FailOn: None, failOnSet: true, Require: Requirement{Backward: true, Forward: true}}, []bool{false, true, true, false, false}},
		{"hazards", Policy{FailOn: None, failOnSet: true, Hazards: true}, []bool{false, false, false, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, f := range []Finding{additive, tolerant, breaking, hazardous, suppressed} {
				assert.Equal(t, tt.want[i], tt.policy.Fails(f), "finding %d", i)
			}
		})
	}
}

func TestParseRequirement(t *testing.T) {
	tests := map[string]Requirement{
		"none":                {},
		"BACKWARD":            {Backward: true},
		"forward":             {Forward: true},
		"full":                {Backward: true, Forward: true},
		"full_transitive":     {Backward: true, Forward: true, Transitive: true},
		"backward-transitive": {Backward: true, Transitive: true},
	}
	for in, want := range tests {
		got, err := ParseRequirement(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		round, err := ParseRequirement(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, round)
	}
	for _, bad := range []string{"sideways", "none_transitive"} {
		_, err := ParseRequirement(bad)
		assert.Error(t, err, bad)
	}
}
