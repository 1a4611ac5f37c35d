package sqlmigrate

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/proto"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleMigrationEdited = compat.Register(compat.Rule{
	ID: "MIGRATION_EDITED", Kind: compat.KindSQL,
	Title: "A released migration's SQL is changed",
	Why: "Databases that already applied the released text never run the new one, so their schema " +
		"differs from a fresh database's: the change reaches only some environments, and B cannot be " +
		"judged for the others.",
	Old:  "-- 0002_users.up.sql\nCREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "-- 0002_users.up.sql\nCREATE TABLE users (id bigint PRIMARY KEY, email text);",
	Safe: "Restore the released text and put the change in a new migration ordered after the last released one.",
})

var ruleMigrationReformatted = compat.Register(compat.Rule{
	ID: "MIGRATION_REFORMATTED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A released migration changes only in whitespace, comments, letter case or its down section",
	Why: "Its statements parse to the same trees, so every database ends with the same schema whether " +
		"it ran the old or the new text. Tools that checksum migrations (Flyway, some goose setups) may " +
		"still refuse the changed file.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "-- the users\ncreate table users (\n  id bigint primary key\n);",
	Safe: "Nothing to sequence; if your runner checksums migrations, repair its history table or revert the edit.",
})

var ruleMigrationDeleted = compat.Register(compat.Rule{
	ID: "MIGRATION_DELETED", Kind: compat.KindSQL,
	Title: "A released migration is deleted",
	Why: "Databases that applied it keep its effect while fresh databases never get it, and runners that " +
		"verify their history fail on the missing file.",
	Old:  "-- 0003_orders.up.sql\nCREATE TABLE orders (id bigint PRIMARY KEY);",
	New:  "-- (file removed)",
	Safe: "Keep released migrations; undo their effect with a new migration ordered after the last released one.",
})

var ruleMigrationOutOfOrder = compat.Register(compat.Rule{
	ID: "MIGRATION_OUT_OF_ORDER", Kind: compat.KindSQL,
	Title: "A new migration is ordered before the last released one",
	Why: "Databases that already ran the later released migrations either skip the new one or refuse to " +
		"migrate (most runners by default), and fresh databases run it in a different order than existing " +
		"ones, so environments diverge.",
	Old:  "-- 0001_users.up.sql, 0003_orders.up.sql",
	New:  "-- 0001_users.up.sql, 0002_email.up.sql, 0003_orders.up.sql",
	Safe: "Give the new migration a version after the last released one.",
})

// changeItem is a part of the change set: statements of one NEW migration to evaluate.
type changeItem struct {
	m     *migration
	stmts []*statement
}

// normalized returns a statement's text with whitespace, comments, letter case of
// keywords and formatting removed: the parser's deparsed form. Two statements with the
// same normalized text build the same schema.
func normalized(s *statement, m *migration) string {
	if s.norm != "" {
		return s.norm
	}
	node := s.node
	if bodies := bodyStrings(node); len(bodies) > 0 {
		// A function or DO body is one string to the SQL parser, so reindenting it or
		// changing a keyword's case would read as an edit: compare its tokens instead.
		node = proto.Clone(node).(*pg_query.Node)
		for _, b := range bodyStrings(node) {
			b.Sval = canonicalBody(b.GetSval())
		}
	}
	out, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: node}}})
	if err != nil {
		out = strings.Join(strings.Fields(m.text[s.off:s.end]), " ")
	}
	s.norm = out
	return out
}

// firstDifference returns the index of the first statement that differs between a and
// b, comparing normalized text, or -1 when they are the same statements.
func firstDifference(a, b *migration) int {
	for i := 0; i < len(a.stmts) || i < len(b.stmts); i++ {
		if i >= len(a.stmts) || i >= len(b.stmts) || normalized(a.stmts[i], a) != normalized(b.stmts[i], b) {
			return i
		}
	}
	return -1
}

func stmtPos(m *migration, stmts []*statement, i int) *compat.Position {
	if i < len(stmts) {
		return compat.Pos(m.file, stmts[i].line, stmts[i].col)
	}
	line, col := m.position(len(m.text))
	return compat.Pos(m.file, line, col)
}

var adviceMigrationEdited = []string{
	"restore the released text of the migration",
	"put the change in a new migration ordered after the last released one",
}

// compareHistory checks that NEW keeps every released migration as it was and orders
// new ones after them, and returns the change set to evaluate.
func compareHistory(layout Layout, olds, news []*migration) ([]compat.Finding, []changeItem) {
	if layout == LayoutSingleFile && len(olds) == 1 && len(news) == 1 {
		return compareLog(olds[0], news[0])
	}
	var out []compat.Finding
	var changes []changeItem
	newByID := make(map[string]*migration, len(news))
	for _, m := range news {
		newByID[m.id] = m
	}
	oldByID := make(map[string]*migration, len(olds))
	var last *migration
	for _, om := range olds {
		oldByID[om.id] = om
		if !om.repeatable && (last == nil || compareVersions(om.version, last.version) > 0) {
			last = om
		}
		nm, ok := newByID[om.id]
		switch {
		case !ok:
			f := ruleMigrationDeleted.Findingf(om.file, "released migration %s is deleted", om.file)
			f.Old = compat.Pos(om.file, 1, 1)
			f.Advice = []string{"restore the migration", "undo its effect, if that is the intent, in a new migration ordered after the last released one"}
			out = append(out, f)
		case nm.raw == om.raw:
		case om.repeatable:
			// Flyway re-applies a repeatable migration whenever its text changes.
			changes = append(changes, changeItem{m: nm, stmts: nm.stmts})
		default:
			if i := firstDifference(om, nm); i >= 0 {
				f := ruleMigrationEdited.Findingf(om.file, "released migration %s changes at statement %d; databases that applied the released text never run the new one", om.file, i+1)
				f.Old = stmtPos(om, om.stmts, i)
				f.New = stmtPos(nm, nm.stmts, i)
				f.Advice = adviceMigrationEdited
				out = append(out, f)
			} else {
				f := ruleMigrationReformatted.Findingf(om.file, "released migration %s changes only in whitespace, comments, letter case or its down section", om.file)
				f.Old = compat.Pos(om.file, 1, 1)
				f.New = compat.Pos(nm.file, 1, 1)
				out = append(out, f)
			}
		}
	}
	for _, nm := range news {
		if _, released := oldByID[nm.id]; released {
			continue
		}
		if nm.checkpoint {
			continue // Atlas runs checkpoint files on new databases only
		}
		if !nm.repeatable && last != nil && compareVersions(nm.version, last.version) < 0 {
			f := ruleMigrationOutOfOrder.Findingf(nm.file, "new migration %s (version %s) is ordered before released migration %s (version %s)",
				nm.file, nm.versionLabel(), last.file, last.versionLabel())
			f.New = compat.Pos(nm.file, 1, 1)
			f.Advice = []string{"renumber the migration after version " + last.versionLabel() + ", the last released one"}
			out = append(out, f)
		}
		changes = append(changes, changeItem{m: nm, stmts: nm.stmts})
	}
	// Repeatables run after every versioned migration; sortMigrations order is kept.
	sortChanges(changes)
	return out, changes
}

func sortChanges(changes []changeItem) {
	ms := make([]*migration, len(changes))
	byM := make(map[*migration]changeItem, len(changes))
	for i, c := range changes {
		ms[i] = c.m
		byM[c.m] = c
	}
	sortMigrations(ms)
	for i, m := range ms {
		changes[i] = byM[m]
	}
}

// compareLog compares the two versions of a one-file source, read as a migration log:
// NEW must begin with OLD's statements; the statements after them are the change set.
func compareLog(om, nm *migration) ([]compat.Finding, []changeItem) {
	var out []compat.Finding
	i := firstDifference(om, nm)
	if i >= 0 && i < len(om.stmts) {
		f := ruleMigrationEdited.Findingf(nm.file, "statement %d of the released file changes; databases that applied the released text never run the new one", i+1)
		f.Old = stmtPos(om, om.stmts, i)
		if i < len(nm.stmts) {
			f.New = stmtPos(nm, nm.stmts, i)
		}
		f.Advice = adviceMigrationEdited
		out = append(out, f)
	}
	var changes []changeItem
	if len(nm.stmts) > len(om.stmts) {
		changes = append(changes, changeItem{m: nm, stmts: nm.stmts[len(om.stmts):]})
	}
	return out, changes
}

// bodyStrings returns the body strings of CREATE FUNCTION / PROCEDURE and DO (their AS
// clause), which the SQL parser keeps as text.
func bodyStrings(n *pg_query.Node) []*pg_query.String {
	var opts []*pg_query.Node
	switch {
	case n.GetCreateFunctionStmt() != nil:
		opts = n.GetCreateFunctionStmt().GetOptions()
	case n.GetDoStmt() != nil:
		opts = n.GetDoStmt().GetArgs()
	default:
		return nil
	}
	var out []*pg_query.String
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil || d.GetDefname() != "as" {
			continue
		}
		if s := d.GetArg().GetString_(); s != nil {
			out = append(out, s)
		}
		for _, item := range d.GetArg().GetList().GetItems() {
			if s := item.GetString_(); s != nil {
				out = append(out, s)
			}
		}
	}
	return out
}

// canonicalBody renders a function or DO body as its SQL tokens: comments and layout
// dropped, keywords and unquoted identifiers in lower case (PL/pgSQL, like SQL, folds
// them), literals kept as written. Two bodies with the same rendering run the same code.
func canonicalBody(body string) string {
	scan, err := pg_query.Scan(body)
	if err != nil {
		return body
	}
	var b strings.Builder
	for _, t := range scan.GetTokens() {
		if t.GetToken() == pg_query.Token_SQL_COMMENT || t.GetToken() == pg_query.Token_C_COMMENT {
			continue
		}
		start, end := int(t.GetStart()), int(t.GetEnd())
		if start < 0 || end > len(body) || start > end {
			return body
		}
		text := body[start:end]
		if t.GetKeywordKind() != pg_query.KeywordKind_NO_KEYWORD || (t.GetToken() == pg_query.Token_IDENT && !strings.HasPrefix(text, `"`)) {
			text = strings.ToLower(text)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(text)
	}
	return b.String()
}
