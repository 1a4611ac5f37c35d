package sqlmigrate

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadSchema(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  *Schema
		err   string
	}{{
		name: "goose enum grows and a column uses it",
		files: map[string]string{
			"00001_init.sql": "-- +goose Up\nCREATE TYPE order_status AS ENUM ('new', 'paid');\n" +
				"CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL, tags text[]);\n" +
				"-- +goose Down\nDROP TABLE orders;\n",
			"00002_refund.sql": "-- +goose Up\nALTER TYPE order_status ADD VALUE 'refunded';\n",
		},
		want: &Schema{
			Enums: []Enum{{Name: "order_status", Labels: []string{"new", "paid", "refunded"}, Pos: compat.Pos("00001_init.sql", 2, 1)}},
			Tables: []Table{{Name: "orders", Columns: []Column{
				{Name: "id", Type: "int8"}, {Name: "status", Type: "order_status"}, {Name: "tags", Type: "text[]"},
			}}},
		},
	}, {
		name: "renames, schemas and drops follow the replay",
		files: map[string]string{
			"1_a.up.sql": "CREATE SCHEMA billing;\nCREATE TYPE public.plan AS ENUM ('free');\nCREATE TYPE billing.tier AS ENUM ('a');\n" +
				"CREATE TABLE public.accounts (plan plan, tier billing.tier);\n",
			"2_b.up.sql": "ALTER TYPE plan RENAME VALUE 'free' TO 'starter';\nALTER TABLE accounts RENAME COLUMN plan TO kind;\nDROP TYPE billing.tier CASCADE;\n",
		},
		want: &Schema{
			Enums: []Enum{{Name: "plan", Labels: []string{"starter"}, Pos: compat.Pos("1_a.up.sql", 2, 1)}},
			Tables: []Table{{Name: "accounts", Columns: []Column{
				{Name: "kind", Type: "plan"}, {Name: "tier", Type: "billing.tier"},
			}}},
		},
	}, {
		name:  "an empty tree builds nothing",
		files: map[string]string{},
		want:  &Schema{},
	}, {
		name:  "syntax errors are positioned",
		files: map[string]string{"1_a.up.sql": "CREATE TABLE (;\n"},
		err:   `m/1_a.up.sql:1:14: syntax error: syntax error at or near "("`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			got, err := ReadSchema(context.Background(), compat.Source{FS: fsys, Name: "m"})
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			if len(tt.want.Enums) > 0 {
				assert.Equal(t, &got.Enums[0], got.Enum(tt.want.Enums[0].Name))
				assert.Nil(t, got.Enum("missing"))
				assert.Equal(t, &got.Tables[0], got.Table(tt.want.Tables[0].Name))
				assert.Nil(t, got.Table("missing"))
			}
		})
	}
}
func TestColumnTypes(t *testing.T) {
	src := compat.Source{FS: fstest.MapFS{
		"0001_init.up.sql":   {Data: []byte("CREATE TABLE shop.orders (id bigint PRIMARY KEY, price text, note varchar(20));\n")},
		"0002_change.up.sql": {Data: []byte("ALTER TABLE shop.orders DROP COLUMN price;\nALTER TABLE shop.orders ADD COLUMN price integer;\nALTER TABLE shop.orders ALTER COLUMN note TYPE varchar(50);\nCREATE TABLE tags (name text[]);\n")},
	}, Name: "m"}
	got, err := ColumnTypes(context.Background(), src)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"shop.orders.id": "int8", "shop.orders.price": "int4", "shop.orders.note": "varchar(50)", "tags.name": "text[]",
	}, got)

	_, err = ColumnTypes(context.Background(), compat.Source{FS: fstest.MapFS{"0001_x.up.sql": {Data: []byte("CREATE TABLE (;")}}, Name: "m"})
	assert.ErrorContains(t, err, "m/0001_x.up.sql:1:")
}
