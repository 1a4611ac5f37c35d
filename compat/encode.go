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
	// Policy decides which findings the formats mark as failing: text's [fails], github's
	// and SARIF's error level, JUnit's failures.
	Policy Policy
	// ToolVersion is the compatcheck version that SARIF records as tool.driver.version and
	// the markdown summary names in its footer. Empty means the version the build
	// information of the running binary gives, when it has one.
	ToolVersion string
	// FullReport says where the complete report is (a file written beside, or a URL), for
	// the formats that show only part of it: github annotations past GitHub's per-step
	// limit, and a markdown summary past GitHub's comment size. Empty, they say how to get it.
	FullReport string
	// Color asks the text format for ANSI colours. No other format ever writes escape
	// codes, whatever this says.
	Color bool
	// Quiet makes the text format print only the findings that fail the policy and the
	// verdict line, and nothing at all when nothing fails. Other formats are always complete.
	Quiet bool
}

// displayPos returns the finding's shown position with its path joined to the side's name.
func (o EncodeOptions) displayPos(f Finding) Position {
	p := f.Pos()
	base := o.NewName
	if f.New == nil {
		base = o.OldName
	}
	p.File = sidePath(base, p.File)
	return p
}

// sidePath joins a path relative to one side's root to that side's name, as displayPos does.
func sidePath(base, file string) string {
	if base != "" && base != "." && file != "" {
		return path.Join(base, file)
	}
	return file
}

// directivePos returns where an ignore directive is written, joined to NEW's name: inline
// directives are in NEW, and a configuration's entries are relative to the root that NEW
// names in a run over configured contracts.
func (o EncodeOptions) directivePos(d Directive) Position {
	p := d.Pos
	p.File = sidePath(o.NewName, p.File)
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
