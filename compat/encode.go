package compat

import (
	"fmt"
	"io"
	"path"
	"sort"
	"sync"
)

// EncodeOptions carries what an encoder needs beyond the report.
type EncodeOptions struct {
	// OldName and NewName are how the user named the two versions (the OLD and NEW paths).
	// Formats read by people or by code hosts (text, github) join them to the relative
	// paths of findings so that a path can be opened or annotated; json keeps paths
	// relative, as its contract says.
	OldName, NewName string
	// Policy decides which findings the text and github formats mark as failing.
	Policy Policy
}

// displayPos returns the finding's shown position with its path joined to the side's name.
func (o EncodeOptions) displayPos(f Finding) Position {
	p := f.Pos()
	base := o.NewName
	if f.New == nil {
		base = o.OldName
	}
	if base != "" && base != "." && p.File != "" {
		p.File = path.Join(base, p.File)
	}
	return p
}

// directivePos returns where an ignore directive is written, joined to NEW's name: inline
// directives are in NEW, and a configuration's entries are relative to the root that NEW
// names in a run over configured contracts.
func (o EncodeOptions) directivePos(d Directive) Position {
	p := d.Pos
	if o.NewName != "" && o.NewName != "." && p.File != "" {
		p.File = path.Join(o.NewName, p.File)
	}
	return p
}

// Encoder writes a report in one output format.
type Encoder func(w io.Writer, r *Report, opts EncodeOptions) error

var (
	encodersMu sync.RWMutex
	encoders   = map[string]Encoder{
		"text":   encodeText,
		"json":   encodeJSON,
		"github": encodeGitHub,
	}
)

// RegisterFormat adds an output format, so that formats such as SARIF or JUnit can be
// provided by other packages. It panics if the name is taken.
func RegisterFormat(name string, e Encoder) {
	encodersMu.Lock()
	defer encodersMu.Unlock()
	if _, dup := encoders[name]; dup {
		panic("compat.RegisterFormat: duplicate format " + name)
	}
	encoders[name] = e
}

// Formats lists the names of the registered output formats, sorted.
func Formats() []string {
	encodersMu.RLock()
	defer encodersMu.RUnlock()
	out := make([]string, 0, len(encoders))
	for name := range encoders {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Encode writes the report to w in the named format. The report is sorted first, so the
// output depends only on the findings, not on the order they were found in.
func Encode(w io.Writer, r *Report, format string, opts EncodeOptions) error {
	encodersMu.RLock()
	e, ok := encoders[format]
	encodersMu.RUnlock()
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	r.Sort()
	return e(w, r, opts)
}
