package sqlmigrate

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
