package sqlmigrate

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// directive is one "-- compatcheck:ignore RULE reason" comment, attached to the statement
// after it. used is set when it suppressed a finding or left out a hazard; a directive of
// the change set that was never used is reported in Report.Unused.
type directive struct {
	compat.Directive
	used bool
}

var reIgnore = regexp.MustCompile(`^[ \t]*--[ \t]*` + regexp.QuoteMeta(compat.DirectiveWord) + `\b(.*)$`)

// attachIgnores finds the ignore directives of m's up text and gives each to the
// statement right after it. The text after the directive word is read by
// compat.ParseDirective, so a missing rule, an unknown or non-SQL rule and a missing
// reason are refused with the same words as in the other formats; a directive must also
// precede a statement with nothing but comments and blank lines between them.
func attachIgnores(src compat.Source, m *migration) error {
	var err error
	eachLine(m.text, func(start, end int) {
		if err != nil || !strings.Contains(m.text[start:end], compat.DirectiveWord) {
			return
		}
		g := reIgnore.FindStringSubmatch(m.text[start:end])
		if g == nil {
			return
		}
		line, col := m.position(start + strings.Index(m.text[start:end], "--"))
		rule, reason, perr := compat.ParseDirective(compat.KindSQL, g[1])
		if perr != nil {
			err = src.Errorf(m.file, line, col, "%v", perr)
			return
		}
		i := stmtIndexAt(m.stmts, start)
		if i == len(m.stmts) || (i > 0 && m.stmts[i-1].end > start) {
			err = src.Errorf(m.file, line, col, "%s is not followed by a statement", compat.DirectiveWord)
			return
		}
		s := m.stmts[i]
		if s.ignore == nil {
			s.ignore = map[string]*directive{}
		}
		s.ignore[rule] = &directive{Directive: compat.Directive{Rule: rule, Reason: reason, Pos: *compat.Pos(m.file, line, col)}}
	})
	return err
}

// ignored reports whether the current statement carries a directive naming rule, and
// records that the directive was used.
func (r *replayer) ignored(rule string) bool {
	d, ok := r.s.ignore[rule]
	if ok {
		d.used = true
	}
	return ok
}

// unusedIgnores returns the directives of the change set's statements that suppressed
// nothing, in file order. Directives in released migrations are not reported: they were
// reviewed when they shipped and cannot be edited now.
func unusedIgnores(changes []changeItem) []compat.Directive {
	var out []compat.Directive
	for _, c := range changes {
		for _, s := range c.stmts {
			for _, rule := range slices.Sorted(maps.Keys(s.ignore)) {
				if d := s.ignore[rule]; !d.used {
					out = append(out, d.Directive)
				}
			}
		}
	}
	return out
}
