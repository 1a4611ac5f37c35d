package sqlmigrate

import (
	"regexp"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// directive is one "-- compatcheck:ignore RULE reason" comment.
type directive struct {
	rule, reason string
	off          int
	used         bool
}

var reIgnore = regexp.MustCompile(`^[ \t]*--[ \t]*compatcheck:ignore\b(.*)$`)

// attachIgnores finds the ignore directives of m's up text and gives each to the
// statement right after it. A directive must name a SQL rule and give a reason, because
// an ignore without a reason cannot be reviewed later; it must precede a statement with
// nothing but comments and blank lines between them.
func attachIgnores(src compat.Source, m *migration) error {
	var err error
	eachLine(m.text, func(start, end int) {
		if err != nil || !strings.Contains(m.text[start:end], "compatcheck:ignore") {
			return
		}
		g := reIgnore.FindStringSubmatch(m.text[start:end])
		if g == nil {
			return
		}
		line, col := m.position(start + strings.Index(m.text[start:end], "--"))
		fields := strings.Fields(g[1])
		switch {
		case len(fields) == 0:
			err = src.Errorf(m.file, line, col, "compatcheck:ignore needs a rule ID and a reason")
			return
		case len(fields) == 1:
			err = src.Errorf(m.file, line, col, "compatcheck:ignore %s needs a reason after the rule ID", fields[0])
			return
		}
		rule := fields[0]
		if r, ok := compat.LookupRule(rule); !ok || r.Kind != compat.KindSQL {
			err = src.Errorf(m.file, line, col, "compatcheck:ignore names unknown SQL rule %s", rule)
			return
		}
		i := stmtIndexAt(m.stmts, start)
		if i == len(m.stmts) || (i > 0 && m.stmts[i-1].end > start) {
			err = src.Errorf(m.file, line, col, "compatcheck:ignore is not followed by a statement")
			return
		}
		s := m.stmts[i]
		if s.ignore == nil {
			s.ignore = map[string]directive{}
		}
		s.ignore[rule] = directive{rule: rule, reason: strings.Join(fields[1:], " "), off: start}
	})
	return err
}
