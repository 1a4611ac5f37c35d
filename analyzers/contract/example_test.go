package contract_test

import (
	"fmt"

	"github.com/compatcheck/compatcheck/analyzers/contract"
)

// A snapshot encodes canonically (one element per line, sorted) and decodes strictly.
func ExampleDecode() {
	s := &contract.Snapshot{
		SQL: []contract.SQLTree{{Dir: "migrations", Migrations: []string{"00001_init.sql"},
			Enums: []contract.SQLEnum{{Name: "order_status", Labels: []string{"open", "paid"}}}}},
	}
	data, err := s.Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(data))
	back, err := contract.Decode(data)
	fmt.Println(back.SQL[0].Enums[0].Labels, err)

	_, err = contract.Decode([]byte(`{"compatcheck_baseline": 2}`))
	fmt.Println(err)
	// Output:
	// {"compatcheck_baseline": 1,
	// "sql": [
	//   {"dir":"migrations","migrations":["00001_init.sql"],"enums":[{"name":"order_status","labels":["open","paid"]}]}
	// ]
	// }
	// [open paid] <nil>
	// baseline format version 2 is not supported (this compatcheck reads version 1)
}
