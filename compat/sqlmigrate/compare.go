package sqlmigrate

import (
	"context"
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
)

// Compare replays the released migrations of old into a model of the schema, checks that
// new keeps them unchanged, and evaluates every statement new adds against the schema
// at that point: what it changes for the released application (the class) and what
// running it costs (hazards, for opts.PGVersion).
func Compare(ctx context.Context, old, new compat.Source, opts Options) (report *compat.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			report = nil
			err = &compat.Error{Msg: fmt.Sprintf("internal error (please report): %v", p)}
		}
	}()
	pg := opts.PGVersion
	if pg == 0 {
		pg = DefaultPGVersion
	}
	if pg < MinPGVersion || pg > MaxPGVersion {
		return nil, &compat.Error{Msg: fmt.Sprintf("unsupported PostgreSQL version %d (want %d to %d)", opts.PGVersion, MinPGVersion, MaxPGVersion)}
	}
	oldLayout, olds, err := loadMigrations(old)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	newLayout, news, err := loadMigrations(new)
	if err != nil {
		return nil, err
	}
	if oldLayout == "" {
		oldLayout = newLayout
	}
	if newLayout == "" && len(olds) > 0 {
		newLayout = oldLayout
	}
	if oldLayout != newLayout {
		return nil, new.Errorf("", 0, 0, "migrations use the %s layout, but the old version uses %s", newLayout, oldLayout)
	}

	// Parse what the history check and the change set need: new migrations, and both
	// versions of every released migration whose bytes changed.
	cache := newParseCache()
	var needOld, needNew []*migration
	if newLayout == LayoutSingleFile {
		needOld, needNew = olds, news
	} else {
		oldByID := make(map[string]*migration, len(olds))
		for _, m := range olds {
			oldByID[m.id] = m
		}
		for _, nm := range news {
			switch om := oldByID[nm.id]; {
			case om == nil:
				needNew = append(needNew, nm)
			case om.raw != nm.raw:
				needOld = append(needOld, om)
				needNew = append(needNew, nm)
			}
		}
	}
	if err := parseMigrations(needOld, cache); err != nil {
		return nil, err
	}
	if err := parseMigrations(needNew, cache); err != nil {
		return nil, err
	}
	history, changes := compareHistory(newLayout, olds, news)
	baseline, err := relevantBaseline(olds, changes, cache)
	if err != nil {
		return nil, err
	}

	r := &replayer{cat: newCatalog(), pg: pg}
	for _, m := range baseline {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.beginMigration(m)
		for _, s := range m.stmts {
			r.apply(s)
		}
	}
	r.emit = true
	for _, c := range changes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.beginMigration(c.m)
		if newLayout == LayoutSingleFile {
			r.replayTxState(c.m, c.stmts)
		}
		for _, s := range c.stmts {
			r.apply(s)
		}
		r.endMigration()
	}
	findings := history
	for _, p := range r.findings {
		if !p.dropped {
			findings = append(findings, p.f)
		}
	}
	report = compat.NewReport(findings)
	report.Unused = unusedIgnores(changes)
	report.Sort()
	return report, nil
}

// replayTxState sets the transaction and lock_timeout state a one-file change set starts
// in: whatever the released statements before it left open.
func (r *replayer) replayTxState(m *migration, tail []*statement) {
	for _, s := range m.stmts[:len(m.stmts)-len(tail)] {
		switch {
		case s.node.GetTransactionStmt() != nil:
			r.transaction(s.node.GetTransactionStmt())
		case s.node.GetVariableSetStmt() != nil:
			r.setVariable(s.node.GetVariableSetStmt())
		}
	}
}
