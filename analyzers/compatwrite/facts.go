package compatwrite

import (
	"fmt"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

// enumFact marks a Go type whose values include some added since the baseline with a
// read-tolerant addition: a generated protobuf enum or a JSON contract type.
type enumFact struct {
	// Contract is "proto" or "json"; Name is the protobuf enum's full name or the Go
	// type's qualified name.
	Contract string
	Name     string
	Values   []addedValue
}

// addedValue is one added value.
type addedValue struct {
	// Name is the protobuf value's name or the Go constant's.
	Name string
	// Value is the constant's JSON encoding ("3", "\"refunded\""), which is how
	// expressions are matched.
	Value string
	// Where locates the contract for messages: the .proto file, or the Go type.
	Where string
	// Finding is the engine's finding for the addition.
	Finding compat.Finding
}

func (*enumFact) AFact() {}

func (f *enumFact) String() string {
	var vs []string
	for _, v := range f.Values {
		vs = append(vs, v.Name+"="+v.Value)
	}
	return fmt.Sprintf("added %s %s: %s", f.Contract, f.Name, strings.Join(vs, ", "))
}

// value returns the added value with a JSON encoding.
func (f *enumFact) value(js string) (addedValue, bool) {
	for _, v := range f.Values {
		if v.Value == js {
			return v, true
		}
	}
	return addedValue{}, false
}

// methodFact marks a generated constant or client method that calls a method added since
// the baseline.
type methodFact struct {
	Method addedMethod
}

func (*methodFact) AFact() {}

func (f *methodFact) String() string { return "calls added " + f.Method.Path }

// addedMethod is a method added since the baseline.
type addedMethod struct {
	// Path is /package.Service/Method.
	Path    string
	Where   string
	Finding compat.Finding
}

// messageFact marks a generated message struct with its protobuf full name, so that
// messages say which field a write goes to.
type messageFact struct {
	Name string
}

func (*messageFact) AFact() {}

func (f *messageFact) String() string { return "message " + f.Name }

// packageFact lists what a package with a baseline added, for the packages that import
// it: methods (generated Connect packages live apart from the descriptors they call) and
// SQL enum labels with the schema of their tables.
type packageFact struct {
	Methods []addedMethod
	Labels  []addedLabels
}

func (*packageFact) AFact() {}

func (f *packageFact) String() string {
	var parts []string
	for _, m := range f.Methods {
		parts = append(parts, "method "+m.Path)
	}
	for _, l := range f.Labels {
		parts = append(parts, fmt.Sprintf("labels %s %v", l.Type, l.Labels))
	}
	sort.Strings(parts)
	return "adds " + strings.Join(parts, ", ")
}

// addedLabels are the labels of one enum type added by migrations of this release.
type addedLabels struct {
	Type   string
	Labels []string
	// Migration names the migration that adds them, relative to the package.
	Migration string
	Finding   compat.Finding
	// Tables is the schema the migrations build, so that importing packages know which
	// columns have the type.
	Tables []sqlmigrate.Table
}
