// Package grpc is a stub of google.golang.org/grpc with just what protoc-gen-go-grpc
// v1.5.1 output refers to, so that the analyzers' tests type-check generated code offline.
package grpc

import "context"

const SupportPackageIsVersion9 = true

type CallOption interface{}

func StaticMethod() CallOption { return nil }

type ClientConnInterface interface {
	Invoke(ctx context.Context, method string, args any, reply any, opts ...CallOption) error
	NewStream(ctx context.Context, desc *StreamDesc, method string, opts ...CallOption) (ClientStream, error)
}

type ClientStream interface {
	SendMsg(m any) error
	RecvMsg(m any) error
	CloseSend() error
}

type ServerStream interface {
	SendMsg(m any) error
	RecvMsg(m any) error
}

type ServerStreamingClient[Res any] interface {
	Recv() (*Res, error)
	ClientStream
}

type ServerStreamingServer[Res any] interface {
	Send(*Res) error
	ServerStream
}

type GenericClientStream[Req any, Res any] struct{ ClientStream }

func (x *GenericClientStream[Req, Res]) Recv() (*Res, error) { return nil, nil }

type GenericServerStream[Req any, Res any] struct{ ServerStream }

func (x *GenericServerStream[Req, Res]) Send(*Res) error { return nil }

type UnaryServerInfo struct {
	Server     any
	FullMethod string
}

type UnaryHandler func(ctx context.Context, req any) (any, error)

type UnaryServerInterceptor func(ctx context.Context, req any, info *UnaryServerInfo, handler UnaryHandler) (any, error)

type MethodDesc struct {
	MethodName string
	Handler    any
}

type StreamDesc struct {
	StreamName    string
	Handler       any
	ServerStreams bool
	ClientStreams bool
}

type ServiceDesc struct {
	ServiceName string
	HandlerType any
	Methods     []MethodDesc
	Streams     []StreamDesc
	Metadata    any
}

type ServiceRegistrar interface {
	RegisterService(desc *ServiceDesc, impl any)
}
