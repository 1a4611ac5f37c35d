package jsondoc

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeValues(t *testing.T) {
	// The values are those encoding/json gives with UseNumber, including escapes the YAML
	// decoder refused (\/) and numbers kept exact.
	src := `{"a": "x\/y", "n": 1e400, "i": -0, "arr": [true, false, null, {}], "u": "\u00e9\ud83d\ude00"}`
	doc, err := Decode([]byte(src), Limits{})
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	var want any
	require.NoError(t, dec.Decode(&want))
	assert.Equal(t, want, doc.Value)
}

func TestPositions(t *testing.T) {
	src := "{\n  \"é\": {\"b\": [10,\n    {\"c\": 1}]},\n  \"x~/y\": 2\n}"
	doc, err := Decode([]byte(src), Limits{})
	require.NoError(t, err)
	tests := []struct {
		ptr                              string
		keyLine, keyCol, valLine, valCol int
		exact                            bool
	}{
		{"", 1, 1, 1, 1, true},
		{"/é", 2, 3, 2, 8, true},
		{"/é/b", 2, 9, 2, 14, true},
		{"/é/b/0", 2, 15, 2, 15, true},
		{"/é/b/1/c", 3, 6, 3, 11, true},
		{"/x~0~1y", 4, 3, 4, 11, true},
		{"/é/missing", 2, 3, 2, 8, false},
		{"/é/b/01", 2, 9, 2, 14, false},
		{"/é/b/0/deeper", 2, 15, 2, 15, false},
		{"no-slash", 1, 1, 1, 1, false},
	}
	for _, tt := range tests {
		k, v, exact := doc.Lookup(tt.ptr)
		kl, kc := doc.LineCol(k)
		vl, vc := doc.LineCol(v)
		assert.Equal(t, []int{tt.keyLine, tt.keyCol, tt.valLine, tt.valCol}, []int{kl, kc, vl, vc}, tt.ptr)
		assert.Equal(t, tt.exact, exact, tt.ptr)
	}
}

func TestMinifiedColumnsCountRunes(t *testing.T) {
	// One long line with multi-byte runes before the member: columns count runes, and the
	// rune table makes each lookup cheap however long the line is.
	var b strings.Builder
	b.WriteString(`{"pad":"`)
	for i := 0; i < 5000; i++ {
		b.WriteString("é")
	}
	b.WriteString(`","k":1}`)
	doc, err := Decode([]byte(b.String()), Limits{})
	require.NoError(t, err)
	k, _, ok := doc.Lookup("/k")
	require.True(t, ok)
	line, col := doc.LineCol(k)
	assert.Equal(t, 1, line)
	assert.Equal(t, len(`{"pad":"`)+5000+len(`",`)+1, col)
}

func TestColumnsAcrossRuneTableStride(t *testing.T) {
	// Runes of three and four bytes land across every boundary of the rune table's stride,
	// so a column counted from a table entry must not count a cut rune twice.
	for _, r := range []string{"€", "😀", "é"} {
		for pad := 0; pad < 4; pad++ {
			var b strings.Builder
			b.WriteString(`{"pad":"` + strings.Repeat("a", pad))
			n := 3000
			for i := 0; i < n; i++ {
				b.WriteString(r)
			}
			b.WriteString(`","k":1}`)
			doc, err := Decode([]byte(b.String()), Limits{})
			require.NoError(t, err)
			k, _, ok := doc.Lookup("/k")
			require.True(t, ok)
			_, col := doc.LineCol(k)
			assert.Equal(t, len(`{"pad":"`)+pad+n+len(`",`)+1, col, "%s pad %d", r, pad)
		}
	}
}

func TestLargeObjectLookup(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 100; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`"k` + string(rune('a'+i%26)) + strings.Repeat("x", i) + `": 1`)
	}
	b.WriteString("}")
	doc, err := Decode([]byte(b.String()), Limits{})
	require.NoError(t, err)
	k, _, ok := doc.Lookup("/kv" + strings.Repeat("x", 99-26*3))
	require.True(t, ok)
	line, _ := doc.LineCol(k)
	assert.Equal(t, 99-26*3+1, line)
}

func TestByteOrderMark(t *testing.T) {
	doc, err := Decode([]byte("\ufeff{\"a\": 1}"), Limits{})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": json.Number("1")}, doc.Value)
	k, _, _ := doc.Lookup("/a")
	line, col := doc.LineCol(k)
	assert.Equal(t, []int{1, 3}, []int{line, col}, "the mark counts as one column, as editors show it")
}

func TestErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "1:1: malformed JSON: unexpected end of JSON input"},
		{"{\n  \"a\": 1,\n}", "2:9: malformed JSON"},
		{"{\"a\": 1, \"a\": 2}", `1:10: duplicate key "a"`},
		{"{\"a\": tru}", "1:10: malformed JSON"},
		{"[1] [2]", "1:5: more than one JSON value in the document"},
		{"{\"a\": \"\x01\"}", "1:8: malformed JSON"},
		{strings.Repeat("[", 600) + strings.Repeat("]", 600), "1:501: document nests deeper than 500 levels"},
		{"{\"a\": // comment\n 1}", "1:7: malformed JSON"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.src), Limits{})
		require.Error(t, err, tt.src)
		assert.True(t, strings.HasPrefix(err.Error(), tt.want), "%q: got %q, want prefix %q", tt.src, err, tt.want)
		var pe *Error
		assert.ErrorAs(t, err, &pe)
	}
}

func TestMaxValues(t *testing.T) {
	_, err := Decode([]byte("[1,2,3,4]"), Limits{MaxValues: 3})
	assert.EqualError(t, err, "1:6: document holds more than 3 values")
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}]}`, "\ufeff[]", `"x\/"`, `{"a":1,"a":2}`, "[" + strings.Repeat("[", 40)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Decode(data, Limits{MaxDepth: 64})
		var std any
		stdErr := json.Unmarshal(data, &std)
		if err != nil {
			var pe *Error
			if !assert.ErrorAs(t, err, &pe) {
				return
			}
			if pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if stdErr != nil && !strings.HasPrefix(string(data), "\ufeff") {
			t.Fatalf("accepted what encoding/json refuses (%v): %q", stdErr, data)
		}
		// Every member of the tree can be found again by its pointer.
		var walk func(n *Node, ptr string)
		walk = func(n *Node, ptr string) {
			if n == nil {
				return
			}
			for i := range n.Kids {
				tok := ""
				if n.Keys != nil {
					tok = strings.ReplaceAll(strings.ReplaceAll(n.Keys[i], "~", "~0"), "/", "~1")
				} else {
					tok = strconv.Itoa(i)
				}
				p := ptr + "/" + tok
				k, v, ok := doc.Lookup(p)
				if !ok || k != int(n.Offsets[2*i]) || v != int(n.Offsets[2*i+1]) {
					t.Fatalf("lookup %q: %d %d %v", p, k, v, ok)
				}
				doc.LineCol(k)
				walk(n.Kids[i], p)
			}
		}
		walk(doc.Root, "")
	})
}

// BenchmarkDecodeStripe decodes Stripe's published 4.2 MB spec from the shared corpora.
func BenchmarkDecodeStripe(b *testing.B) {
	data, err := os.ReadFile("../../../shared/corpora/stripe-4years/new/spec3.json")
	if err != nil {
		b.Skip("corpora not present:", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
