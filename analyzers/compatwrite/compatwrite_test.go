package compatwrite_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/compatwrite"
	"github.com/stretchr/testify/assert"
	"golang.org/x/tools/go/analysis/analysistest"
)

var gates = compatwrite.Config{Gates: []string{"example.com/shop/flags.Enabled", "(*example.com/shop/flags.Client).On"}}

// TestAnalyzer runs over the shared test module: generated protobuf, gRPC and Connect
// code with a baseline of the previous release, a JSON contract, embedded migrations,
// and an application that writes and reads what they added.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, "../testdata/shop", compatwrite.New(gates), "./app", "./store", "./api")
}

// TestGeneratedFacts checks the facts exported for generated packages, whose files carry
// no want comments (they are regenerated, not edited).
func TestGeneratedFacts(t *testing.T) {
	rec := &recorder{}
	results := analysistest.Run(rec, "../testdata/shop", compatwrite.New(gates), "./gen/...")
	for _, e := range rec.errors {
		if !strings.Contains(e, "unexpected fact") {
			t.Error(e)
		}
	}
	var got []string
	for _, r := range results {
		for obj, facts := range r.Facts {
			for _, f := range facts {
				name := "package"
				if obj != nil {
					name = obj.Name()
				}
				got = append(got, fmt.Sprintf("%s %s: %v", r.Pass.Pkg.Name(), name, f))
			}
		}
	}
	sort.Strings(got)
	assert.Equal(t, []string{
		"shopv1 Availability: added proto shop.v1.Availability: AVAILABILITY_BACKORDER=3",
		"shopv1 GetOrderRequest: message shop.v1.GetOrderRequest",
		"shopv1 Item: message shop.v1.Item",
		"shopv1 ListOrdersRequest: message shop.v1.ListOrdersRequest",
		"shopv1 Order: message shop.v1.Order",
		"shopv1 OrderService_RefundOrder_FullMethodName: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1 Order_Kind: added proto shop.v1.Order.Kind: KIND_WHOLESALE=2",
		"shopv1 RefundOrder: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1 RefundOrder: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1 RefundOrderRequest: message shop.v1.RefundOrderRequest",
		"shopv1 ReturnReply: message shop.v1.ReturnReply",
		"shopv1 ReturnRequest: message shop.v1.ReturnRequest",
		"shopv1 ReturnService_StartReturn_FullMethodName: calls added /shop.v1.ReturnService/StartReturn",
		"shopv1 StartReturn: calls added /shop.v1.ReturnService/StartReturn",
		"shopv1 StartReturn: calls added /shop.v1.ReturnService/StartReturn",
		"shopv1 Status: added proto shop.v1.Status: STATUS_REFUNDED=3",
		"shopv1 package: adds method /shop.v1.OrderService/RefundOrder, method /shop.v1.ReturnService/StartReturn",
		"shopv1connect OrderServiceRefundOrderProcedure: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1connect RefundOrder: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1connect RefundOrder: calls added /shop.v1.OrderService/RefundOrder",
		"shopv1connect ReturnServiceStartReturnProcedure: calls added /shop.v1.ReturnService/StartReturn",
		"shopv1connect StartReturn: calls added /shop.v1.ReturnService/StartReturn",
		"shopv1connect StartReturn: calls added /shop.v1.ReturnService/StartReturn",
	}, got)
}

// recorder collects what analysistest reports instead of failing the test.
type recorder struct{ errors []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestGatesFlag(t *testing.T) {
	a := compatwrite.New(compatwrite.Config{Gates: []string{"b.G"}})
	if err := a.Flags.Set("gates", " a.F, (*c.T).M ,"); err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, "(*c.T).M,a.F,b.G", a.Flags.Lookup("gates").Value.String())
	// Analyzers built from one configuration do not share their gates.
	assert.Equal(t, "", compatwrite.Analyzer.Flags.Lookup("gates").Value.String())
}
