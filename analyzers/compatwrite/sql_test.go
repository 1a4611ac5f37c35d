package compatwrite

import (
	"testing"

	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/stretchr/testify/assert"
)

func labelState() *state {
	return &state{labels: []addedLabels{{
		Type: "order_status", Labels: []string{"refunded"},
		Tables: []sqlmigrate.Table{{Name: "orders", Columns: []sqlmigrate.Column{{Name: "id", Type: "text"}, {Name: "status", Type: "order_status"}}}},
	}}}
}

func TestLabelWrites(t *testing.T) {
	tests := []struct {
		sql  string
		want []sqlWrite
	}{
		{"UPDATE orders SET status = 'refunded' WHERE status = 'paid'",
			[]sqlWrite{{label: "refunded", typ: "order_status", column: "orders.status", loc: 27, verb: "UPDATE"}}},
		{"INSERT INTO public.orders (status, id) VALUES ('paid', 'refunded')",
			[]sqlWrite{{label: "paid", typ: "order_status", column: "orders.status", loc: 47, verb: "INSERT"}}},
		{"INSERT INTO orders VALUES ('a', 'refunded') ON CONFLICT (id) DO UPDATE SET status = 'refunded'", []sqlWrite{
			{label: "refunded", typ: "order_status", column: "orders.status", loc: 32, verb: "INSERT"},
			{label: "refunded", typ: "order_status", column: "orders.status", loc: 84, verb: "INSERT ... ON CONFLICT"},
		}},
		{"WITH moved AS (UPDATE orders SET status = 'refunded' RETURNING id) SELECT id FROM moved",
			[]sqlWrite{{label: "refunded", typ: "order_status", column: "orders.status", loc: 42, verb: "UPDATE"}}},
		{"INSERT INTO log (what) SELECT 'refunded'::public.order_status",
			[]sqlWrite{{label: "refunded", typ: "order_status", column: "log.what", loc: 30, verb: "INSERT"}}},
		{"SELECT * FROM orders WHERE status = 'refunded'", nil},
		{"UPDATE orders SET id = 'refunded'", nil},
	}
	st := labelState()
	for _, tt := range tests {
		res, err := pg_query.Parse(tt.sql)
		if err != nil {
			t.Fatal(err)
		}
		got := st.labelWrites(res)
		var kept []sqlWrite
		for _, w := range got {
			if w.typ == "order_status" {
				kept = append(kept, w)
			}
		}
		assert.Equal(t, tt.want, kept, tt.sql)
	}
}

// FuzzLabelWrites feeds arbitrary text where constant SQL is expected: whatever parses
// must be walked without a panic, and label offsets must stay inside the text.
func FuzzLabelWrites(f *testing.F) {
	for _, s := range []string{
		"UPDATE orders SET status = 'refunded'",
		"INSERT INTO orders (id, status) VALUES ('a', 'refunded'), ('b', 'paid')",
		"INSERT INTO orders SELECT 'x', 'refunded'::order_status ON CONFLICT DO NOTHING",
		"WITH a AS (INSERT INTO orders VALUES ('1', 'refunded') RETURNING 1) SELECT * FROM a",
	} {
		f.Add(s)
	}
	st := labelState()
	f.Fuzz(func(t *testing.T, sql string) {
		res, err := pg_query.Parse(sql)
		if err != nil {
			return
		}
		for _, w := range st.labelWrites(res) {
			if w.loc < 0 || w.loc > len(sql) {
				t.Fatalf("label offset %d outside %q", w.loc, sql)
			}
		}
	})
}
