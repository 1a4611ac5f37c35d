package sqlmigrate

import (
	"errors"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/compatcheck/compatcheck/compat"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/pganalyze/pg_query_go/v5/parser"
)

// parseCache shares parse results between the two trees: a released migration appears
// byte for byte in OLD and NEW, and the C parser dominates the cost of a comparison, so
// each distinct text is parsed once.
type parseCache struct {
	byText map[string]*parsed
}

type parsed struct {
	stmts []*statement
	err   *parser.Error
	other error
}

func newParseCache() *parseCache { return &parseCache{byText: map[string]*parsed{}} }

// prefetch parses the texts the cache does not hold yet on all processors. libpg_query
// keeps its state per thread, so parses run in parallel; on a large history this halves
// the wall time on two cores. Results are stored by text, so errors are still reported
// in file order by parseMigration.
func (c *parseCache) prefetch(texts []string) {
	var todo []string
	seen := map[string]bool{}
	for _, t := range texts {
		if _, ok := c.byText[t]; !ok && !seen[t] {
			seen[t] = true
			todo = append(todo, t)
		}
	}
	results := make([]*parsed, len(todo))
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = parseText(todo[i])
			}
		}()
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, t := range todo {
		c.byText[t] = results[i]
	}
}

// parseText parses one up text into positioned statements.
func parseText(text string) *parsed {
	p := &parsed{}
	tree, err := pg_query.Parse(text)
	if err != nil {
		var pe *parser.Error
		if errors.As(err, &pe) {
			p.err = pe
		} else {
			p.other = err
		}
		return p
	}
	lines := newLineIndex(text)
	for _, raw := range tree.GetStmts() {
		start := int(raw.GetStmtLocation())
		end := len(text)
		if l := int(raw.GetStmtLen()); l > 0 {
			end = start + l
		}
		if start < 0 || start > len(text) || end > len(text) || end < start {
			p.other = errors.New("parser reported a statement outside the file (internal error, please report)")
			return p
		}
		off := min(skipSpaceAndComments(text, start), end)
		s := &statement{node: raw.GetStmt(), off: off, end: end}
		s.line, s.col = lines.position(off)
		if d := s.node.GetDoStmt(); d != nil {
			s.do = parseDo(text, start, end, lines, d, 0)
		}
		p.stmts = append(p.stmts, s)
	}
	return p
}

// parseMigrations parses the migrations that are not parsed yet, in parallel, and
// reports the first error in the order given.
func parseMigrations(ms []*migration, cache *parseCache) error {
	texts := make([]string, 0, len(ms))
	for _, m := range ms {
		if !m.parsed {
			texts = append(texts, m.text)
		}
	}
	cache.prefetch(texts)
	for _, m := range ms {
		if m.parsed {
			continue
		}
		if err := parseMigration(m.src, m, cache); err != nil {
			return err
		}
	}
	return nil
}

// parseMigration parses m's up text into statements, positions them and attaches the
// ignore directives that precede them.
func parseMigration(src compat.Source, m *migration, cache *parseCache) error {
	p, ok := cache.byText[m.text]
	if !ok {
		p = parseText(m.text)
		cache.byText[m.text] = p
	}
	switch {
	case p.err != nil:
		off := runeOffset(m.text, p.err.Cursorpos)
		line, col := m.position(off)
		return src.Errorf(m.file, line, col, "syntax error: %s", shorten(p.err.Message))
	case p.other != nil:
		return src.Errorf(m.file, 1, 1, "%v", p.other)
	}
	// Statements are copied so that per-migration data (ignores) never leaks between
	// two files with the same text.
	m.stmts = make([]*statement, len(p.stmts))
	for i, s := range p.stmts {
		c := *s
		m.stmts[i] = &c
	}
	if err := attachIgnores(src, m); err != nil {
		return err
	}
	m.parsed = true
	switch {
	case m.tx == txImplicitMulti && len(m.stmts) <= 1:
		m.inTx = false
		m.txNote = "golang-migrate sends a one-statement file on its own, outside a transaction"
	case m.tx == txFlyway && len(m.stmts) > 0 && allNonTransactional(m.stmts):
		m.inTx = false
		m.txNote = "Flyway runs a migration whose every statement cannot run in a transaction outside one"
	}
	return nil
}

// allNonTransactional reports whether every statement is one PostgreSQL refuses inside a
// transaction block, which is when Flyway runs the migration without one.
func allNonTransactional(stmts []*statement) bool {
	for _, s := range stmts {
		if !refusesTransaction(s.node) {
			return false
		}
	}
	return true
}

// refusesTransaction reports statements that fail inside a transaction block.
func refusesTransaction(n *pg_query.Node) bool {
	if concurrentOrVacuum(n) || databaseCommand(n) != "" {
		return true
	}
	if at := n.GetAlterTableStmt(); at != nil {
		for _, c := range at.GetCmds() {
			if pc := c.GetAlterTableCmd().GetDef().GetPartitionCmd(); pc != nil && pc.GetConcurrent() &&
				c.GetAlterTableCmd().GetSubtype() == pg_query.AlterTableType_AT_DetachPartition {
				return true
			}
		}
	}
	return false
}

// concurrentOrVacuum reports CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and
// VACUUM, which run as several transactions of their own.
func concurrentOrVacuum(n *pg_query.Node) bool {
	switch {
	case n.GetIndexStmt() != nil:
		return n.GetIndexStmt().GetConcurrent()
	case n.GetDropStmt() != nil:
		return n.GetDropStmt().GetConcurrent()
	case n.GetReindexStmt() != nil:
		return hasOption(n.GetReindexStmt().GetParams(), "concurrently")
	case n.GetVacuumStmt() != nil:
		return n.GetVacuumStmt().GetIsVacuumcmd()
	}
	return false
}

// supabaseRunsAlone reports the statements the Supabase CLI takes out of a migration's
// transaction and runs on their own (supabase/cli#2898, #6276).
func supabaseRunsAlone(n *pg_query.Node) bool {
	return concurrentOrVacuum(n) || n.GetClusterStmt() != nil || n.GetAlterSystemStmt() != nil
}

// databaseCommand names the database-level commands PostgreSQL refuses inside a
// transaction block, or returns "".
func databaseCommand(n *pg_query.Node) string {
	switch {
	case n.GetCreatedbStmt() != nil:
		return "CREATE DATABASE"
	case n.GetDropdbStmt() != nil:
		return "DROP DATABASE"
	case n.GetCreateTableSpaceStmt() != nil:
		return "CREATE TABLESPACE"
	case n.GetDropTableSpaceStmt() != nil:
		return "DROP TABLESPACE"
	case n.GetAlterSystemStmt() != nil:
		return "ALTER SYSTEM"
	}
	return ""
}

// stmtIndexAt returns the index of the first statement starting at or after off.
func stmtIndexAt(stmts []*statement, off int) int {
	return sort.Search(len(stmts), func(i int) bool { return stmts[i].off >= off })
}

// maxMessage bounds parser messages, which quote the offending token: an unterminated
// comment or string makes that token the rest of the file.
const maxMessage = 160

func shorten(msg string) string {
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) <= maxMessage {
		return msg
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}
