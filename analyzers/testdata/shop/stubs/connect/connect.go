// Package connect is a stub of connectrpc.com/connect with just what protoc-gen-connect-go
// v1.18.1 output refers to, so that the analyzers' tests type-check generated code offline.
package connect

import (
	"context"
	"net/http"
)

const IsAtLeastVersion1_13_0 = true

type Code uint32

const CodeUnimplemented Code = 12

type Error struct{ err error }

func (e *Error) Error() string { return e.err.Error() }

func NewError(c Code, underlying error) *Error { return &Error{underlying} }

type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

type Request[T any] struct{ Msg *T }

func NewRequest[T any](message *T) *Request[T] { return &Request[T]{Msg: message} }

type Response[T any] struct{ Msg *T }

type ServerStreamForClient[Res any] struct{}

type ServerStream[Res any] struct{}

type ClientOption interface{ applyToClient() }

type HandlerOption interface{ applyToHandler() }

type Option interface {
	ClientOption
	HandlerOption
}

type option struct{}

func (option) applyToClient()  {}
func (option) applyToHandler() {}

func WithSchema(schema any) Option                           { return option{} }
func WithClientOptions(options ...ClientOption) ClientOption { return option{} }
func WithHandlerOptions(options ...HandlerOption) HandlerOption {
	return option{}
}
func WithGRPC() ClientOption    { return option{} }
func WithGRPCWeb() ClientOption { return option{} }

type Client[Req, Res any] struct{}

func NewClient[Req, Res any](httpClient HTTPClient, url string, options ...ClientOption) *Client[Req, Res] {
	return &Client[Req, Res]{}
}

func (c *Client[Req, Res]) CallUnary(ctx context.Context, request *Request[Req]) (*Response[Res], error) {
	return nil, nil
}

func (c *Client[Req, Res]) CallServerStream(ctx context.Context, request *Request[Req]) (*ServerStreamForClient[Res], error) {
	return nil, nil
}

type Handler struct{}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

func NewUnaryHandler[Req, Res any](procedure string, unary func(context.Context, *Request[Req]) (*Response[Res], error), options ...HandlerOption) *Handler {
	return &Handler{}
}

func NewServerStreamHandler[Req, Res any](procedure string, implementation func(context.Context, *Request[Req], *ServerStream[Res]) error, options ...HandlerOption) *Handler {
	return &Handler{}
}
