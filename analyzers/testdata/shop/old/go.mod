module example.com/shop

go 1.26

require (
	connectrpc.com/connect v0.0.0
	google.golang.org/grpc v0.0.0
	google.golang.org/protobuf v1.34.2
)

replace (
	connectrpc.com/connect => ../stubs/connect
	google.golang.org/grpc => ../stubs/grpc
)
