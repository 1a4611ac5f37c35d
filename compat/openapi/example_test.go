package openapi_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/openapi"
)

// A new required query parameter breaks old clients, whatever the audience; a new
// operation is read-tolerant, because new clients may reach old servers mid-rollout.
func ExampleCompare() {
	old := `openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /orders:
    get:
      responses:
        "200": {description: ok}
`
	new := `openapi: 3.0.3
info: {title: shop, version: "2"}
paths:
  /orders:
    get:
      parameters:
        - {name: tenant, in: query, required: true, schema: {type: string}}
      responses:
        "200": {description: ok}
  /orders/{id}:
    delete:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: deleted}
`
	src := func(doc string) compat.Source {
		return compat.Source{FS: fstest.MapFS{"openapi.yaml": {Data: []byte(doc)}}, File: "openapi.yaml"}
	}
	report, err := openapi.Compare(context.Background(), src(old), src(new), openapi.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s: %s\n", f.Class(), f.Rule, f.Message)
	}
	fmt.Println("verdict:", report.Verdict())
	// Output:
	// breaking PARAMETER_ADDED_REQUIRED: required query parameter tenant was added
	// read-tolerant OPERATION_ADDED: operation DELETE /orders/{id} was added
	// verdict: breaking
}
