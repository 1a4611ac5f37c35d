// Package codes is a stub of google.golang.org/grpc/codes.
package codes

type Code uint32

const Unimplemented Code = 12
