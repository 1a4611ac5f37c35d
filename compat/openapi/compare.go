package openapi

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck/compat"
)

// Compare compares two versions of an OpenAPI document (3.0.x, 3.1.x, or Swagger 2.0
// converted to 3.0) and reports every change with its class under the roles of HTTP: in a
// request the client writes and the server reads, in a response the server writes and the
// client reads, and in callbacks and webhooks the API provider writes the request.
//
// Each source is one file or a directory holding exactly one root document (the file with
// a top-level openapi or swagger key) and the files it references. Problems with the input
// are returned as positioned *compat.Error values.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (report *compat.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			report, err = nil, fmt.Errorf("openapi: internal error (please report): %v\n%s", r, debug.Stack())
		}
	}()
	if opts.Now == nil {
		opts.Now = time.Now
	}
	// The versions are loaded at the same time; the old version's error comes first, as
	// when they were loaded in turn.
	var n *spec
	var nerr error
	var npanic any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { npanic = recover() }()
		n, nerr = loadPrepared(new)
	}()
	o, err := func() (*spec, error) {
		defer func() { <-done }()
		return loadPrepared(old)
	}()
	if npanic != nil {
		panic(npanic)
	}
	if err != nil {
		return nil, err
	}
	if nerr != nil {
		return nil, nerr
	}
	c := &comparer{ctx: ctx, opts: opts, old: o, new: n, now: opts.Now()}
	if err := c.newSchemas(); err != nil {
		return nil, err
	}
	c.compareAPI()
	if c.err != nil {
		return nil, c.err
	}
	ignores, err := c.ignores()
	if err != nil {
		return nil, err
	}
	findings := c.found.findings()
	report = compat.NewReport(findings)
	report.Unused = suppress(report.Findings, ignores)
	report.Sort()
	return report, nil
}

// loadPrepared loads and prepares one version.
func loadPrepared(src compat.Source) (*spec, error) {
	s, err := load(src)
	if err != nil {
		return nil, err
	}
	if err := s.prepare(); err != nil {
		return nil, err
	}
	return s, nil
}

// comparer holds one comparison of two versions.
type comparer struct {
	ctx      context.Context
	opts     Options
	old, new *spec
	now      time.Time
	schemas  schemaEngine
	found    deduper // the findings so far, merged as they are made (see dedupe)
	err      error
	// reached records, per old schema location compared, the operations and roles that
	// reach it, for the rules that report at a component (discriminators).
	roots []schemaUse
}

// role is where an object is used. It decides who reads what is written there.
type role struct {
	// name is the role as findings list it: "request", "response 200",
	// "callback request", "callback response 200".
	name string
	// serverWrites is true when the API provider's server writes and the client reads: a
	// response, or the request of a callback or webhook.
	serverWrites bool
}

// op names one operation pair being compared, for subjects and Operations lists.
type opRef struct {
	name     string
	callback bool // a callback or webhook: the roles are reversed
}

func (o opRef) request() role {
	if o.callback {
		return role{name: "callback request", serverWrites: true}
	}
	return role{name: "request"}
}

func (o opRef) response(code string) role {
	if o.callback {
		return role{name: "callback response " + code}
	}
	return role{name: "response " + code, serverWrites: true}
}

// add records a finding of an operation-level rule in role r. The readers of the changed
// element are the clients when the server writes; with a public audience they cannot be
// upgraded first, so a finding that old clients cannot read is marked ReadersLag.
func (c *comparer) add(f compat.Finding, op opRef, r role, oldAt, newAt *loc) {
	f.Kind = compat.KindOpenAPI
	f.ReadersLag = c.opts.Audience == Public && r.serverWrites && !f.Forward
	if oldAt != nil {
		f.Old = c.old.pos(*oldAt)
	}
	if newAt != nil {
		f.New = c.new.pos(*newAt)
	}
	if op.name != "" {
		f.Operations = []compat.OperationRef{{Operation: op.name, Role: r.name}}
	}
	switch {
	case f.Class() == compat.Additive:
		f.Advice = nil
	case f.ReadersLag && f.Backward, len(f.Advice) == 0:
		f.Advice = advice(f, r)
	}
	c.found.add(f)
}

// fail records the first error; later work is skipped.
func (c *comparer) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// compareAPI compares the operations, webhooks, security schemes and discriminators.
func (c *comparer) compareAPI() {
	oldOps, err := c.old.pathOperations()
	if err != nil {
		c.fail(err)
		return
	}
	newOps, err := c.new.pathOperations()
	if err != nil {
		c.fail(err)
		return
	}
	c.compareOperations(oldOps, newOps, kindPath)
	oldHooks, err := c.old.webhooks()
	if err != nil {
		c.fail(err)
		return
	}
	newHooks, err := c.new.webhooks()
	if err != nil {
		c.fail(err)
		return
	}
	c.compareOperations(oldHooks, newHooks, kindWebhook)
	c.compareSecuritySchemes()
	c.compareDiscriminators()
}

// subject spells a location the way findings name it: "METHOD /path #/rest" inside an
// operation of the root document, "webhook:NAME METHOD #/rest" inside a webhook, the bare
// pointer "#/components/..." elsewhere in the root document, and "file#/pointer" in other
// files (operations and path items written as $refs to other files are named where they
// are written). Everywhere, a parameter in a list is named by location and name
// ("parameters/query/limit") rather than by index, so that reordering a list changes
// nothing.
func (s *spec) subject(l loc) string {
	if l.ptr == "" {
		if l.file != s.root {
			return l.file + "#"
		}
		return "#"
	}
	toks := s.parameterTokens(l.file, strings.Split(l.ptr[1:], "/"))
	if l.file != s.root {
		return l.file + "#/" + strings.Join(toks, "/")
	}
	if len(toks) >= 3 && toks[0] == "paths" && toks[2] == "parameters" {
		// A path-level parameter, named at its path.
		return unescapeToken(toks[1]) + " #/" + strings.Join(toks[2:], "/")
	}
	if len(toks) >= 3 && (toks[0] == "paths" || toks[0] == "webhooks") && isMethod(toks[2]) {
		var name string
		if toks[0] == "paths" {
			name = strings.ToUpper(toks[2]) + " " + unescapeToken(toks[1])
		} else {
			name = webhookName(unescapeToken(toks[1]), toks[2])
		}
		if len(toks) == 3 {
			return name
		}
		return name + " #/" + strings.Join(toks[3:], "/")
	}
	return "#/" + strings.Join(toks, "/")
}

// parameterTokens rewrites, in the pointer tokens of a location in file, every
// "parameters", index pair that names a parameter object written in place into
// "parameters", in, name.
func (s *spec) parameterTokens(file string, toks []string) []string {
	var out []string // allocated only when something is rewritten
	for i := 0; i < len(toks); i++ {
		if toks[i] == "parameters" && i+1 < len(toks) && toks[i+1] != "" && toks[i+1][0] >= '0' && toks[i+1][0] <= '9' {
			v, _ := s.get(loc{file, "/" + strings.Join(toks[:i+2], "/")})
			m, _ := v.(map[string]any)
			name, _ := m["name"].(string)
			in, _ := m["in"].(string)
			if name != "" && in != "" {
				if out == nil {
					out = append(make([]string, 0, len(toks)+1), toks[:i]...)
				}
				out = append(out, "parameters", escapeToken(in), escapeToken(name))
				i++
				continue
			}
		}
		if out != nil {
			out = append(out, toks[i])
		}
	}
	if out == nil {
		return toks
	}
	return out
}

func webhookName(name, method string) string {
	return strings.ToUpper(method) + " webhook:" + name
}
