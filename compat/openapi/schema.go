package openapi

import (
	"context"
	"sort"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// schemaEngine is what this package needs from the JSON Schema engine: one memoizing
// comparison per role, so that a shared component is decided once per role however many
// operations reach it.
type schemaEngine interface {
	compare(ctx context.Context, serverWrites bool, oldRef, newRef string) ([]compat.Finding, error)
}

// jsonschemaEngine compares schemas with compat/jsonschema. Requests (and callback
// responses) ignore readOnly properties, which clients never send; responses (and
// callback requests) ignore writeOnly properties, which servers never return.
type jsonschemaEngine struct {
	clientWrites, serverWrites *jsonschema.Comparison
}

func (e *jsonschemaEngine) compare(ctx context.Context, serverWrites bool, oldRef, newRef string) ([]compat.Finding, error) {
	if serverWrites {
		return e.serverWrites.Compare(ctx, oldRef, newRef)
	}
	return e.clientWrites.Compare(ctx, oldRef, newRef)
}

// documents returns every decoded file of a version as JSON Schema documents.
func (s *spec) documents() []jsonschema.Document {
	names := make([]string, 0, len(s.files))
	for name := range s.files {
		names = append(names, name)
	}
	sort.Strings(names)
	docs := make([]jsonschema.Document, 0, len(names))
	for _, name := range names {
		docs = append(docs, jsonschema.Document{Path: name, Value: s.files[name].value, Pos: s.posFunc(name)})
	}
	return docs
}

// newSchemas prepares the schema comparisons of both versions.
func (c *comparer) newSchemas() error {
	olds, err := jsonschema.NewSchemas(c.old.documents())
	if err != nil {
		return c.old.rename(err)
	}
	news, err := jsonschema.NewSchemas(c.new.documents())
	if err != nil {
		return c.new.rename(err)
	}
	c.schemas = &jsonschemaEngine{
		clientWrites: jsonschema.NewComparison(olds, news, jsonschema.CompareOptions{Model: c.opts.Model, IgnoreReadOnly: true}),
		serverWrites: jsonschema.NewComparison(olds, news, jsonschema.CompareOptions{Model: c.opts.Model, IgnoreWriteOnly: true}),
	}
	return nil
}

// rename prefixes the path of an error from the JSON Schema engine, which knows paths
// relative to the Source root only, with the Source's name.
func (s *spec) rename(err error) error {
	if ce, ok := err.(*compat.Error); ok {
		return s.src.Errorf(ce.Pos.File, ce.Pos.Line, ce.Pos.Column, "%s", ce.Msg)
	}
	return err
}

// schemaUse records that an operation reaches an old schema in a role.
type schemaUse struct {
	at  loc
	ref opRef
	r   role
}

// compareSchema compares the schema at ol (old) with the one at nl (new) in role r of
// operation ref, and reports the JSON Schema engine's findings as OpenAPI findings whose
// subjects name the component (or operation) where the change is.
func (c *comparer) compareSchema(ol, nl loc, ref opRef, r role) {
	if c.err != nil {
		return
	}
	c.roots = append(c.roots, schemaUse{at: ol, ref: ref, r: r})
	fs, err := c.schemas.compare(c.ctx, r.serverWrites, ol.ref(), nl.ref())
	if err != nil {
		// Input errors name a file relative to the Source root; say which version.
		if ce, ok := err.(*compat.Error); ok {
			if _, inOld := c.old.files[ce.Pos.File]; inOld {
				err = c.old.rename(err)
			} else {
				err = c.new.rename(err)
			}
		}
		c.fail(err)
		return
	}
	for _, f := range fs {
		f.Subject = c.schemaSubject(f.Subject)
		f.Kind = compat.KindOpenAPI
		f.Operations = nil
		c.add(f, ref, r, nil, nil)
	}
}

// schemaSubject turns the engine's "path#/pointer" subject into this package's spelling.
func (c *comparer) schemaSubject(s string) string {
	file, ptr, ok := cut(s, "#")
	if !ok {
		return s
	}
	sp := c.new
	if _, known := sp.files[file]; !known {
		sp = c.old
	}
	return sp.subject(loc{file, ptr})
}

func cut(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}
