package app

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	shopv1 "example.com/shop/gen/shop/v1"
	"example.com/shop/gen/shop/v1/shopv1connect"
	"google.golang.org/grpc"
)

// Calls of methods added in this release are reported, through gRPC and Connect.
func calls(ctx context.Context, client shopv1.OrderServiceClient, cc grpc.ClientConnInterface) error {
	if _, err := client.GetOrder(ctx, &shopv1.GetOrderRequest{Id: "a"}); err != nil {
		return err
	}
	if _, err := client.RefundOrder(ctx, &shopv1.RefundOrderRequest{Id: "a"}); err != nil { // want `method /shop.v1.OrderService/RefundOrder was added to shop/v1/shop.proto since the baseline.* \(METHOD_CALLED_BEFORE_SERVERS\)`
		return err
	}
	out := new(shopv1.Order)
	if err := cc.Invoke(ctx, shopv1.OrderService_RefundOrder_FullMethodName, &shopv1.RefundOrderRequest{}, out); err != nil { // want `/shop.v1.OrderService/RefundOrder`
		return err
	}
	c := shopv1connect.NewOrderServiceClient(http.DefaultClient, "https://shop.example")
	if _, err := c.GetOrder(ctx, connect.NewRequest(&shopv1.GetOrderRequest{})); err != nil {
		return err
	}
	_, err := c.RefundOrder(ctx, connect.NewRequest(&shopv1.RefundOrderRequest{})) // want `/shop.v1.OrderService/RefundOrder`
	return err
}

// Comparing a method name reads it, as interceptors do.
func isRefund(info *grpc.UnaryServerInfo) bool {
	return info.FullMethod == shopv1.OrderService_RefundOrder_FullMethodName
}

// server implements the service: implementing a method added in this release is the
// read side and fine, but a response that carries a value added in this release is a
// write.
type server struct {
	shopv1.UnimplementedOrderServiceServer
}

func (server) RefundOrder(ctx context.Context, req *shopv1.RefundOrderRequest) (*shopv1.Order, error) {
	return &shopv1.Order{Id: req.Id, Status: shopv1.Status_STATUS_REFUNDED}, nil // want `STATUS_REFUNDED`
}

// Methods of a service added in this release are added too; values of an enum added in
// this release reach no old reader.
func returns(ctx context.Context, cc grpc.ClientConnInterface) error {
	client := shopv1.NewReturnServiceClient(cc)
	_, err := client.StartReturn(ctx, &shopv1.ReturnRequest{Carrier: shopv1.Carrier_CARRIER_POST}) // want `method /shop.v1.ReturnService/StartReturn was added to shop/v1/shop.proto since the baseline \(SERVICE_ADDED, read-tolerant\)`
	return err
}
