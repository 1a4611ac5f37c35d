#!/bin/sh
# Regenerates the checked-in generated code of this test module. It is run by hand, once
# per change to the .proto files; the tests only read its output. It needs buf and the
# three plugins at the versions the generated files name:
#
#   go install github.com/bufbuild/buf/cmd/buf@v1.75.0
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.34.2   # matches go.mod
#   go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
#   go install connectrpc.com/connect/cmd/protoc-gen-connect-go@v1.18.1
#
# proto/ is this release; old/proto is the previous release, whose generated code the
# baselines (zz_compatcheck_baseline.go) are taken from:
#
#   go test ./analyzers/... -run TestBaselines -update
set -e
cd "$(dirname "$0")"
for side in . old; do
	# Generated files only: the baselines beside them are the generator's output of old/.
	find "$side/gen" \( -name "*.pb.go" -o -name "*.connect.go" \) -delete 2>/dev/null || true
	(cd "$side/proto" && buf generate --template ../$( [ "$side" = old ] && echo ../)buf.gen.yaml -o .. .)
done
