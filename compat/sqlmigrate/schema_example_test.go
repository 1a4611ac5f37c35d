package sqlmigrate_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

// Reading the enum labels and column types that a tree of goose migrations builds.
func ExampleReadSchema() {
	migrations := fstest.MapFS{
		"00001_orders.sql": {Data: []byte("-- +goose Up\nCREATE TYPE order_status AS ENUM ('new', 'paid');\nCREATE TABLE orders (id bigint, status order_status);\n")},
		"00002_refund.sql": {Data: []byte("-- +goose Up\nALTER TYPE order_status ADD VALUE 'refunded';\n")},
	}
	schema, err := sqlmigrate.ReadSchema(context.Background(), compat.Source{FS: migrations, Name: "migrations"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(schema.Enum("order_status").Labels)
	for _, c := range schema.Table("orders").Columns {
		fmt.Println(c.Name, c.Type)
	}
	// Output:
	// [new paid refunded]
	// id int8
	// status order_status
}
