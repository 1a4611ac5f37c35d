package proto

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var matrixKinds = []protoreflect.Kind{
	protoreflect.Int32Kind, protoreflect.Int64Kind, protoreflect.Uint32Kind, protoreflect.Uint64Kind,
	protoreflect.Sint32Kind, protoreflect.Sint64Kind, protoreflect.BoolKind, protoreflect.EnumKind,
	protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind, protoreflect.FloatKind,
	protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind, protoreflect.DoubleKind,
	protoreflect.StringKind, protoreflect.BytesKind, protoreflect.MessageKind,
}

// matrixTable renders every type change that is not breaking in both encodings as the
// Markdown table docs/proto.md shows; all other changes between different kinds are
// breaking in both.
func matrixTable() string {
	yn := map[bool]string{true: "yes", false: "no"}
	var b strings.Builder
	b.WriteString("| old → new | wire B | wire F | wire class | JSON B | JSON F | JSON class |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, o := range matrixKinds {
		for _, n := range matrixKinds {
			if o == n {
				continue
			}
			a := kindAnswers(o, n)
			w, j := compat.ClassOf(a.wireB, a.wireF), compat.ClassOf(a.jsonB, a.jsonF)
			if w == compat.Breaking && j == compat.Breaking {
				continue
			}
			fmt.Fprintf(&b, "| %s → %s | %s | %s | %s | %s | %s | %s |\n", o, n,
				yn[a.wireB], yn[a.wireF], w, yn[a.jsonB], yn[a.jsonF], j)
		}
	}
	return b.String()
}

// TestMatrixDocumented keeps the table in docs/proto.md equal to the data in fieldtype.go.
func TestMatrixDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/proto.md")
	require.NoError(t, err)
	if !strings.Contains(string(doc), matrixTable()) {
		t.Errorf("docs/proto.md does not hold the type-change table fieldtype.go gives; replace it with:\n%s", matrixTable())
	}
}

// TestMatrixWorkedRows pins the compat-model.md rows the matrix decides.
func TestMatrixWorkedRows(t *testing.T) {
	a := kindAnswers(protoreflect.Int32Kind, protoreflect.Int64Kind)
	assert.Equal(t, answers{true, false, true, false}, a, "int32 → int64 is read-tolerant")
	a = kindAnswers(protoreflect.Int64Kind, protoreflect.Int32Kind)
	assert.False(t, a.wireB, "int64 → int32 is breaking")
	a = kindAnswers(protoreflect.StringKind, protoreflect.Int32Kind)
	assert.Equal(t, answers{}, a, "string → int32 changes the wire type")
	a = kindAnswers(protoreflect.StringKind, protoreflect.BytesKind)
	assert.Equal(t, answers{true, false, false, false}, a, "string → bytes: read-tolerant on the wire, breaking in JSON")
	a = kindAnswers(protoreflect.Sint32Kind, protoreflect.Int32Kind)
	assert.Equal(t, answers{false, false, true, true}, a, "sint32 → int32: zigzag differs, JSON is the same number")
}

// rulesTable renders the rule table of docs/proto.md from the registry.
func rulesTable() string {
	yn := map[bool]string{true: "yes", false: "no"}
	var b strings.Builder
	for _, r := range compat.Rules() {
		if r.Kind == compat.KindProto {
			fmt.Fprintf(&b, "| `%s` — %s | %s | %s | %s | %s |\n", r.ID, r.Title, yn[r.Backward], yn[r.Forward], r.Class(), r.Scope)
		}
	}
	return b.String()
}

// TestRulesDocumented keeps the rule table in docs/proto.md equal to the registry.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/proto.md")
	require.NoError(t, err)
	if !strings.Contains(string(doc), rulesTable()) {
		t.Errorf("docs/proto.md does not hold the rule table the registry gives; replace it with:\n%s", rulesTable())
	}
}
