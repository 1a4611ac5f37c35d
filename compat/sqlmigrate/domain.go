package sqlmigrate

import (
	"maps"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

// A domain is a type with constraints: every column of that type is checked against
// them. A constraint added to a domain is therefore a constraint added to every column
// that uses it, and PostgreSQL validates it by scanning every table that has one.

// domain is a domain type of the catalog.
type domain struct {
	object
	// cons holds the names of its CHECK constraints; notNull its NOT NULL.
	cons    map[string]bool
	notNull bool
}

var ruleDomainConstraintAdded = compat.Register(compat.Rule{
	ID: "DOMAIN_CONSTRAINT_ADDED", Kind: compat.KindSQL,
	Title: "A CHECK or NOT NULL constraint is added to a domain that existing columns use",
	Why: "Every column of the domain is now held to the constraint: released writers that store values " +
		"it rejects now fail, so B fails. NOT VALID only spares the rows already stored.",
	Old:  "CREATE DOMAIN quantity AS int;\nCREATE TABLE order_lines (id bigint PRIMARY KEY, qty quantity);",
	New:  "ALTER DOMAIN quantity ADD CONSTRAINT quantity_positive CHECK (VALUE > 0) NOT VALID;",
	Safe: "Release writers that satisfy the condition first, clean up existing rows, then add the constraint NOT VALID and VALIDATE it in a later migration.",
})

var ruleDomainConstraintDropped = compat.Register(compat.Rule{
	ID: "DOMAIN_CONSTRAINT_DROPPED", Kind: compat.KindSQL, Backward: true,
	Title: "A CHECK or NOT NULL constraint is dropped from a domain that existing columns use",
	Why: "Everything the released application writes is still accepted (B holds), but new writers may " +
		"store values the constraint used to exclude in every column of the domain, which released readers " +
		"never met, so F fails.",
	Old:  "CREATE DOMAIN quantity AS int CONSTRAINT quantity_positive CHECK (VALUE > 0);\nCREATE TABLE order_lines (id bigint PRIMARY KEY, qty quantity);",
	New:  "ALTER DOMAIN quantity DROP CONSTRAINT quantity_positive;",
	Safe: "Release readers that handle the values the constraint excluded, then drop it in a later release (read-before-write).",
})

var adviceDomainConstraintAdded = []string{
	"release application code whose writes to every column of the domain satisfy the constraint",
	"fix existing rows that violate it, in batches",
	"add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration",
}

var adviceDomainNotValid = []string{
	"add the domain constraint with NOT VALID, so only new values are checked",
	"VALIDATE CONSTRAINT in a later migration, at a quiet time: it still scans every table that uses the domain",
}

func (r *replayer) createDomain(cd *pg_query.CreateDomainStmt) {
	key := nameList(cd.GetDomainname())
	d := &domain{object: object{key: key, created: r.emit, pos: r.pos()}, cons: map[string]bool{}}
	for _, n := range cd.GetConstraints() {
		c := n.GetConstraint()
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			d.notNull = true
		case pg_query.ConstrType_CONSTR_CHECK:
			d.cons[domainConName(key, c)] = true
		}
	}
	r.cat.domains[key] = d
	r.report(ruleTypeAdded, key, key, nil, nil, "domain %s is added", key)
}

// domainConName is the name PostgreSQL gives a domain constraint: its own, or
// <domain>_check.
func domainConName(key string, c *pg_query.Constraint) string {
	if c.GetConname() != "" {
		return c.GetConname()
	}
	_, name := splitKey(key)
	return name + "_check"
}

func splitKey(key string) (schema, name string) {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i], key[i+1:]
	}
	return "", key
}

// domainColumns lists the released columns whose type is the domain, as table.column,
// and the tables they are in.
func (r *replayer) domainColumns(key string) (cols, tables []string) {
	for _, tk := range slices.Sorted(maps.Keys(r.cat.tables)) {
		t := r.cat.tables[tk]
		if t.created {
			continue
		}
		used := false
		for _, c := range t.cols {
			if c.typeKnown && c.typ.name == key && !c.created {
				cols = append(cols, colSubject(tk, c.name))
				used = true
			}
		}
		if used {
			tables = append(tables, tk)
		}
	}
	return cols, tables
}

func (r *replayer) alterDomain(ad *pg_query.AlterDomainStmt) {
	key := nameList(ad.GetTypeName())
	d, ok := r.cat.domains[key]
	if !ok {
		d = &domain{object: object{key: key}, cons: map[string]bool{}}
		r.cat.domains[key] = d
	}
	cols, tables := r.domainColumns(key)
	switch ad.GetSubtype() {
	case "C": // ADD CONSTRAINT
		c := ad.GetDef().GetConstraint()
		if c == nil || c.GetContype() != pg_query.ConstrType_CONSTR_CHECK {
			return
		}
		name := domainConName(key, c)
		d.cons[name] = true
		r.domainConstraintAdded(d, cols, tables, "CHECK constraint "+name, c.GetSkipValidation())
	case "O": // SET NOT NULL
		if d.notNull {
			return
		}
		d.notNull = true
		r.domainConstraintAdded(d, cols, tables, "NOT NULL", false)
	case "X", "N": // DROP CONSTRAINT, DROP NOT NULL
		what := "NOT NULL"
		if ad.GetSubtype() == "X" {
			if !d.cons[ad.GetName()] && ad.GetMissingOk() {
				return
			}
			delete(d.cons, ad.GetName())
			what = "constraint " + ad.GetName()
		} else {
			if !d.notNull {
				return
			}
			d.notNull = false
		}
		if d.created || len(cols) == 0 {
			return
		}
		r.report(ruleDomainConstraintDropped, key, "", d.pos, adviceConstraintDropped,
			"%s is dropped from domain %s, which %s use; old readers may meet values it used to exclude", what, key, strings.Join(cols, ", "))
	case "V": // VALIDATE CONSTRAINT
		if len(tables) == 0 {
			return
		}
		for _, t := range tables {
			r.lock(t, opValidateDomainConstraint)
		}
		// Unlike VALIDATE on a table constraint, validating a domain constraint takes a
		// SHARE lock on every table that uses it, so writes wait for the whole scan.
		r.hazard(nil, hazardConstraintValidated, opValidateDomainConstraint,
			[]string{"run the validation at a quiet time: PostgreSQL has no way to validate a domain constraint without blocking writes", "or replace the domain's constraint with NOT VALID CHECK constraints on the tables, validated one by one"},
			"VALIDATE CONSTRAINT %s on domain %s scans %s under a SHARE lock, blocking their writes", ad.GetName(), key, strings.Join(tables, ", "))
	}
}

// domainConstraintAdded reports a constraint added to a domain that released columns use,
// and the scan that validates it.
func (r *replayer) domainConstraintAdded(d *domain, cols, tables []string, what string, notValid bool) {
	if d.created || len(cols) == 0 {
		return
	}
	p := r.report(ruleDomainConstraintAdded, d.key, "", d.pos, adviceDomainConstraintAdded,
		"%s is added to domain %s, which %s use; released writers of values it rejects now fail", what, d.key, strings.Join(cols, ", "))
	if notValid {
		return
	}
	for _, t := range tables {
		r.lock(t, opAlterDomainAddConstraint)
	}
	r.hazard(p, hazardConstraintValidated, opAlterDomainAddConstraint, adviceDomainNotValid,
		"adding %s to domain %s checks every row of %s under a SHARE lock, blocking their writes", what, d.key, strings.Join(tables, ", "))
}
