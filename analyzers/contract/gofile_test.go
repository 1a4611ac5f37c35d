package contract

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindBaseline(t *testing.T) {
	good, err := GoFile("p", sample())
	require.NoError(t, err)
	tests := []struct {
		name, src string
		// err is the message, with the position as line:col of the file.
		err string
	}{
		{"generated file", string(good), ""},
		{"none", "package p\n\nconst x = 1\n", ""},
		{"not a constant", "package p\n\n//compatcheck:baseline\nvar compatcheckBaseline = \"{}\"\n", "4:1: //compatcheck:baseline must mark one string constant declaration"},
		{"not a string", "package p\n\n//compatcheck:baseline\nconst compatcheckBaseline = 1\n", "4:1: //compatcheck:baseline must mark one string constant declaration"},
		{"two names", "package p\n\n//compatcheck:baseline\nconst a, b = \"\", \"\"\n", "4:1: //compatcheck:baseline must mark one string constant declaration"},
		{"raw string error is positioned in it", "package p\n\n//compatcheck:baseline\nconst compatcheckBaseline = `{\"compatcheck_baseline\": 1,\n\"json_roots\": 3}`\n",
			"5:1: malformed baseline: json_roots must be []string, not number"},
		{"quoted string error is positioned in it", "package p\n\n//compatcheck:baseline\nconst compatcheckBaseline = \"{\\\"compatcheck_baseline\\\": \\u0032}\"\n",
			"4:33: malformed baseline: baseline format version 2 is not supported (this compatcheck reads version 1)"},
		{"twice", string(good) + "\n//compatcheck:baseline\nconst other = \"\"\n", "second //compatcheck:baseline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := typeCheck(t, []byte(tt.src))
			b, err := FindBaseline(pkg)
			if tt.err == "" {
				require.NoError(t, err)
				if strings.Contains(tt.src, BaselineDirective) {
					require.NotNil(t, b)
					assert.Equal(t, sample().JSONRoots, b.Snapshot.JSONRoots)
				}
				return
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			pos := pkg.Fset.Position(e.Pos)
			got := strings.TrimPrefix(pos.String(), pos.Filename+":") + ": " + e.Msg
			assert.Contains(t, got, tt.err)
		})
	}
}

func TestGoFileQuotesBackquotes(t *testing.T) {
	s := &Snapshot{JSONRoots: []string{"A"}, JSONDefs: map[string]json.RawMessage{"A": json.RawMessage("{\"description\": \"a `b`\"}")}}
	src, err := GoFile("p", s)
	require.NoError(t, err)
	assert.Contains(t, string(src), `const compatcheckBaseline = "{\"compatcheck_baseline\": 1,\n`)
	pkg := typeCheck(t, src)
	b, err := FindBaseline(pkg)
	require.NoError(t, err)
	assert.JSONEq(t, "{\"description\": \"a `b`\"}", string(b.Snapshot.JSONDefs["A"]))
}

func TestLiteralPos(t *testing.T) {
	src := "package p\n\nvar a = `x\ny`\nvar b = \"\\té\\x41\\101z\"\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	require.NoError(t, err)
	var lits []*ast.BasicLit
	ast.Inspect(f, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok {
			lits = append(lits, l)
		}
		return true
	})
	at := func(lit *ast.BasicLit, off int) string { return fset.Position(LiteralPos(lit, off)).String() }
	assert.Equal(t, "p.go:3:9", at(lits[0], 0))
	assert.Equal(t, "p.go:4:1", at(lits[0], 2), "the byte after the newline of a raw string")
	// "\té\x41\101z": \t is 1 byte, é 2, \x41 1, \101 1, so z is at offset 5.
	assert.Equal(t, "p.go:5:22", at(lits[1], 5))
	assert.Equal(t, "p.go:5:12", at(lits[1], 1), "é starts after \\t")
}
