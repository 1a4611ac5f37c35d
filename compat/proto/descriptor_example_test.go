package proto_test

import (
	"context"
	"fmt"

	"github.com/compatcheck/compatcheck/compat/proto"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Comparing descriptors, as protoc-gen-go embeds them in generated code: the enum value
// added to the new version is read-tolerant.
func ExampleCompareDescriptors() {
	file := func(values ...string) protoreflect.FileDescriptor {
		enum := &descriptorpb.EnumDescriptorProto{Name: gproto.String("Status")}
		for i, v := range values {
			enum.Value = append(enum.Value, &descriptorpb.EnumValueDescriptorProto{Name: gproto.String(v), Number: gproto.Int32(int32(i))})
		}
		fd, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
			Name: gproto.String("shop.proto"), Package: gproto.String("shop.v1"), Syntax: gproto.String("proto3"),
			EnumType: []*descriptorpb.EnumDescriptorProto{enum},
		}, nil)
		if err != nil {
			panic(err)
		}
		return fd
	}
	old := file("STATUS_UNSPECIFIED", "STATUS_OPEN")
	new := file("STATUS_UNSPECIFIED", "STATUS_OPEN", "STATUS_REFUNDED")
	report, err := proto.CompareDescriptors(context.Background(),
		[]protoreflect.FileDescriptor{old}, []protoreflect.FileDescriptor{new}, proto.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s at %s\n", f.Class(), f.Rule, f.Subject, f.Pos())
	}
	// Output:
	// read-tolerant ENUM_VALUE_ADDED shop.v1.Status.STATUS_REFUNDED at shop.proto
}
