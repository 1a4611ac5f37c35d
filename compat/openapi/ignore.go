package openapi

import (
	"cmp"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// ignoreKey is the specification extension that holds inline ignore directives, the
// keyword the JSON Schema engine reads on schemas.
const ignoreKey = jsonschema.IgnoreKeyword

// directive is one parsed inline ignore of the new version, with the subjects of the
// element it is written on.
type directive struct {
	compat.Directive
	// covers are the subjects of the element: a finding whose subject is one of them, or
	// below one of them, is covered. A subject holding "#" is a pointer, covering
	// "subject/..."; one without (an operation or a path) is a name, covering
	// "name #/..." and "name callback ...".
	covers []string
}

// holder is an element of the new version that may hold x-compatcheck-ignore, with the
// subjects its findings may carry.
type holder struct {
	what   string
	covers []string
}

// ignores reads the x-compatcheck-ignore extensions of the new version. They may be
// written on an operation, a path item, a parameter, a request body, a response, a
// header or a schema object, or beside the $ref that one of them is written as; anywhere
// else, a directive would silently suppress nothing, so it is a positioned error, as is a
// directive without a reason or naming a rule no OpenAPI finding carries.
func (c *comparer) ignores() ([]*directive, error) {
	s := c.new
	if len(s.directives) == 0 {
		return nil, nil
	}
	holders, err := s.holders()
	if err != nil {
		return nil, err
	}
	var out []*directive
	for _, d := range s.directives {
		var covers []string
		if d.schema {
			covers = []string{s.subject(d.at)}
		} else {
			h, ok := holders[d.at]
			if !ok {
				return nil, s.errAt(d.at.child(ignoreKey), "%s is read on operations, path items, parameters, request bodies, responses, headers and schemas; this object is none of them", ignoreKey)
			}
			covers = h.covers
		}
		at := func(i int) loc {
			if i < 0 {
				return d.at.child(ignoreKey)
			}
			return d.at.child(ignoreKey, itoa(i))
		}
		texts, err := jsonschema.IgnoreTexts(d.value)
		if err != nil {
			return nil, s.errAt(at(err.(*jsonschema.IgnoreValueError).Index), "%v", err)
		}
		for _, t := range texts {
			rule, reason, err := parseDirective(t.Text)
			if err != nil {
				return nil, s.errAt(at(t.Index), "%v", err)
			}
			out = append(out, &directive{
				Directive: compat.Directive{Rule: rule, Reason: reason, Pos: *s.pos(at(t.Index))},
				covers:    covers,
			})
		}
	}
	slices.SortStableFunc(out, func(a, b *directive) int {
		if c := cmp.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
			return c
		}
		return cmp.Compare(a.Pos.Column, b.Pos.Column)
	})
	return out, nil
}

// parseDirective reads "RULE reason". OpenAPI reports the rules of this package and,
// for every schema comparison, the rules of compat/jsonschema (those findings carry kind
// openapi but a JSON Schema rule ID), so both kinds are accepted.
func parseDirective(text string) (string, string, error) {
	rule, reason, err := compat.ParseDirective(compat.KindOpenAPI, text)
	if err == nil {
		return rule, reason, nil
	}
	if rule, reason, jerr := compat.ParseDirective(compat.KindJSONSchema, text); jerr == nil {
		return rule, reason, nil
	}
	if r, _, aerr := compat.ParseDirective("", text); aerr == nil {
		rule, _ := compat.LookupRule(r)
		return "", "", &directiveKindError{rule: r, kind: rule.Kind}
	}
	if f := strings.Fields(text); len(f) >= 2 {
		if _, ok := compat.LookupRule(f[0]); !ok {
			return "", "", &directiveKindError{rule: f[0]}
		}
	}
	return "", "", err
}

// directiveKindError names a rule no OpenAPI finding can carry.
type directiveKindError struct {
	rule string
	kind compat.Kind
}

func (e *directiveKindError) Error() string {
	if e.kind == "" {
		return compat.DirectiveWord + " names unknown rule " + e.rule + " (compatcheck rules --kind openapi and --kind jsonschema list the rules OpenAPI findings carry)"
	}
	return compat.DirectiveWord + " names " + string(e.kind) + " rule " + e.rule + ", which no OpenAPI finding carries (compatcheck rules --kind openapi and --kind jsonschema list those)"
}

// holders finds every element of the version that may hold x-compatcheck-ignore, under
// the locations where it is written and where its $refs lead, with its subjects.
func (s *spec) holders() (map[loc]holder, error) {
	out := map[loc]holder{}
	add := func(what string, covers []string, at ...loc) {
		for _, l := range at {
			h := out[l]
			h.what = what
			for _, cv := range covers {
				if !slices.Contains(h.covers, cv) {
					h.covers = append(h.covers, cv)
				}
			}
			out[l] = h
		}
	}
	// responses adds the responses and headers of an operation named name at l.
	responses := func(name string, l loc) error {
		rl, m, err := s.deref(l)
		if err != nil {
			return err
		}
		for _, code := range sortedKeys(m) {
			if strings.HasPrefix(code, "x-") {
				continue
			}
			at, resp, err := s.deref(rl.child(code))
			if err != nil {
				return err
			}
			covers := []string{s.subject(rl.child(code)), s.subject(at)}
			if name != "" {
				covers = append(covers, name+" #/responses/"+escapeToken(code))
			}
			add("response", covers, rl.child(code), at)
			if err := s.headerHolders(add, at.child("headers"), resp != nil); err != nil {
				return err
			}
		}
		return nil
	}
	var operations func(ops []*operation) error
	operations = func(ops []*operation) error {
		for _, op := range ops {
			item := []string{s.subject(op.itemWritten), s.subject(op.item), op.path}
			for _, m := range httpMethods {
				item = append(item, opName(op, m))
			}
			add("path item", item, op.itemWritten, op.item)
			add("operation", []string{op.ref.name, s.subject(op.written), s.subject(op.at)}, op.written, op.at)
			params, _, err := s.parameters(op)
			if err != nil {
				return err
			}
			for _, p := range params {
				add("parameter", []string{p.subject, s.subject(p.written), s.subject(p.at)}, p.written, p.at)
			}
			body, _, err := s.deref(op.at.child("requestBody"))
			if err != nil {
				return err
			}
			add("request body", []string{op.ref.name + " #/requestBody", s.subject(op.at.child("requestBody")), s.subject(body)},
				op.at.child("requestBody"), body)
			if err := responses(op.ref.name, op.at.child("responses")); err != nil {
				return err
			}
			cl, cbs, err := s.deref(op.at.child("callbacks"))
			if err != nil {
				return err
			}
			for _, name := range sortedKeys(cbs) {
				if strings.HasPrefix(name, "x-") {
					continue
				}
				at, _, err := s.deref(cl.child(name))
				if err != nil {
					return err
				}
				cops, err := s.operationsIn(at, kindCallback, op.ref.name+" callback "+name)
				if err != nil {
					return err
				}
				if err := operations(cops); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, kind := range []string{kindPath, kindWebhook} {
		l := loc{s.root, "/paths"}
		if kind == kindWebhook {
			l = loc{s.root, "/webhooks"}
		}
		ops, err := s.operationsIn(l, kind, "")
		if err != nil {
			return nil, err
		}
		if err := operations(ops); err != nil {
			return nil, err
		}
	}
	// Components may hold directives for the findings reported at them.
	comps := loc{s.root, "/components"}
	for section, what := range map[string]string{"parameters": "parameter", "requestBodies": "request body", "responses": "response", "headers": "header", "pathItems": "path item"} {
		sl, m, err := s.deref(comps.child(section))
		if err != nil {
			return nil, err
		}
		for _, name := range sortedKeys(m) {
			at, obj, err := s.deref(sl.child(name))
			if err != nil {
				return nil, err
			}
			add(what, []string{s.subject(sl.child(name)), s.subject(at)}, sl.child(name), at)
			if what == "response" {
				if err := s.headerHolders(add, at.child("headers"), obj != nil); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// headerHolders adds the headers of a response at l.
func (s *spec) headerHolders(add func(string, []string, ...loc), l loc, ok bool) error {
	if !ok {
		return nil
	}
	hl, m, err := s.deref(l)
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(m) {
		at, _, err := s.deref(hl.child(name))
		if err != nil {
			return err
		}
		add("header", []string{s.subject(hl.child(name)), s.subject(at)}, hl.child(name), at)
	}
	return nil
}

// opName is the name of the operation with method m on op's path item, whether or not
// the item has one: a directive on a path item covers its removed operations too.
func opName(op *operation, m string) string {
	switch {
	case op.parent != "":
		return op.parent + ": " + strings.ToUpper(m) + " " + op.path
	case op.ref.callback:
		return webhookName(op.path, m)
	}
	return strings.ToUpper(m) + " " + op.path
}

// covered reports whether a finding's subject is the subject s of an element or lies
// below it.
func covered(subject, s string) bool {
	if subject == s {
		return true
	}
	if strings.Contains(s, "#") {
		return strings.HasPrefix(subject, s+"/")
	}
	return strings.HasPrefix(subject, s+" ")
}

// suppress marks the findings the directives cover and returns the directives that
// covered none. The first covering directive in position order gives the reason.
func suppress(findings []compat.Finding, ds []*directive) []compat.Directive {
	plain := make([]compat.Directive, len(ds))
	for i, d := range ds {
		plain[i] = d.Directive
	}
	return compat.Suppress(findings, plain, func(i int, f compat.Finding) bool {
		return slices.ContainsFunc(ds[i].covers, func(s string) bool { return covered(f.Subject, s) })
	})
}
