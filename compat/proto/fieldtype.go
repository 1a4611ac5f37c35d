package proto

import (
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The type-change matrix. A field's type change is judged, for each encoding, by one
// question asked twice: does a reader of type R decode every value a writer of type W can
// produce to the same value? B asks it with W = OLD and R = NEW; F with W = NEW and R = OLD.
// The answers are data, below; docs/proto.md renders them as a table.

// wireReads lists the pairs {writer, reader} of different kinds whose binary encodings
// agree on every value the writer can produce. Pairs not listed (and not identical) lose or
// misread data: another wire type, or a value the reader truncates or reinterprets.
var wireReads = map[[2]protoreflect.Kind]bool{
	// Varints: a reader of a wider type keeps every value of a narrower one. int32 writes
	// negative values sign-extended to 64 bits, which int64 decodes unchanged but uint32
	// and uint64 read as huge positives.
	{protoreflect.Int32Kind, protoreflect.Int64Kind}:   true,
	{protoreflect.Uint32Kind, protoreflect.Int64Kind}:  true,
	{protoreflect.Uint32Kind, protoreflect.Uint64Kind}: true,
	// bool is the varint 0 or 1, which every integer reader decodes as 0 or 1.
	{protoreflect.BoolKind, protoreflect.Int32Kind}:  true,
	{protoreflect.BoolKind, protoreflect.Int64Kind}:  true,
	{protoreflect.BoolKind, protoreflect.Uint32Kind}: true,
	{protoreflect.BoolKind, protoreflect.Uint64Kind}: true,
	// An enum is an int32 on the wire. The reverse pairs are missing on purpose: an enum
	// reader does not list every number an integer writer may produce.
	{protoreflect.EnumKind, protoreflect.Int32Kind}: true,
	{protoreflect.EnumKind, protoreflect.Int64Kind}: true,
	// Zigzag varints: sint64 decodes every sint32 value; sint32 truncates sint64.
	{protoreflect.Sint32Kind, protoreflect.Sint64Kind}: true,
	// Length-delimited: bytes accept any string and any encoded message; a string reader
	// rejects bytes that are not UTF-8 and a message reader bytes that are not a message.
	{protoreflect.StringKind, protoreflect.BytesKind}:  true,
	{protoreflect.MessageKind, protoreflect.BytesKind}: true,
}

// jsonDomain is the set of JSON values the canonical JSON mapping writes for a kind.
type jsonDomain string

const (
	jsonInt32   jsonDomain = "int32"  // int32, sint32, sfixed32: a number
	jsonUint32  jsonDomain = "uint32" // uint32, fixed32: a non-negative number
	jsonInt64   jsonDomain = "int64"  // int64, sint64, sfixed64: a decimal string
	jsonUint64  jsonDomain = "uint64" // uint64, fixed64: a non-negative decimal string
	jsonFloat   jsonDomain = "float"  // a number or "NaN", "Infinity", "-Infinity"
	jsonDouble  jsonDomain = "double"
	jsonBool    jsonDomain = "bool"    // true or false
	jsonString  jsonDomain = "string"  // a string
	jsonBytes   jsonDomain = "bytes"   // a base64 string
	jsonEnum    jsonDomain = "enum"    // a value's name
	jsonMessage jsonDomain = "message" // an object
)

// jsonDomains maps each kind to its JSON domain: sint32 and int32 differ on the wire but
// write the same JSON.
var jsonDomains = map[protoreflect.Kind]jsonDomain{
	protoreflect.Int32Kind: jsonInt32, protoreflect.Sint32Kind: jsonInt32, protoreflect.Sfixed32Kind: jsonInt32,
	protoreflect.Uint32Kind: jsonUint32, protoreflect.Fixed32Kind: jsonUint32,
	protoreflect.Int64Kind: jsonInt64, protoreflect.Sint64Kind: jsonInt64, protoreflect.Sfixed64Kind: jsonInt64,
	protoreflect.Uint64Kind: jsonUint64, protoreflect.Fixed64Kind: jsonUint64,
	protoreflect.FloatKind: jsonFloat, protoreflect.DoubleKind: jsonDouble,
	protoreflect.BoolKind: jsonBool, protoreflect.StringKind: jsonString, protoreflect.BytesKind: jsonBytes,
	protoreflect.EnumKind: jsonEnum, protoreflect.MessageKind: jsonMessage, protoreflect.GroupKind: jsonMessage,
}

func jsonDomainOf(k protoreflect.Kind) jsonDomain { return jsonDomains[k] }

// jsonReads lists the pairs {writer, reader} of different JSON domains where the reader
// accepts every value the writer produces with the same meaning. JSON readers accept
// integers as numbers or strings, so only the range matters; a double holds every 32-bit
// integer exactly, a float does not.
var jsonReads = map[[2]jsonDomain]bool{
	{jsonInt32, jsonInt64}:   true,
	{jsonInt32, jsonDouble}:  true,
	{jsonUint32, jsonInt64}:  true,
	{jsonUint32, jsonUint64}: true,
	{jsonUint32, jsonDouble}: true,
	{jsonFloat, jsonDouble}:  true,
}

// kindAnswers returns the B and F answers of a change of kind from a to b, per encoding.
// Message and enum kinds compared with themselves are judged by structure elsewhere.
func kindAnswers(a, b protoreflect.Kind) answers {
	reads := func(w, r protoreflect.Kind) bool { return w == r || wireReads[[2]protoreflect.Kind{w, r}] }
	jreads := func(w, r protoreflect.Kind) bool {
		dw, dr := jsonDomainOf(w), jsonDomainOf(r)
		return dw == dr || jsonReads[[2]jsonDomain{dw, dr}]
	}
	return answers{
		wireB: reads(a, b), wireF: reads(b, a),
		jsonB: jreads(a, b), jsonF: jreads(b, a),
	}
}

// kindName is the name of a kind as written in .proto files.
func kindName(fd protoreflect.FieldDescriptor) string {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		if fd.IsMap() {
			return "map<" + kindName(fd.MapKey()) + ", " + kindName(fd.MapValue()) + ">"
		}
		if fd.Kind() == protoreflect.GroupKind {
			return "delimited " + string(fd.Message().FullName())
		}
		return string(fd.Message().FullName())
	case protoreflect.EnumKind:
		return string(fd.Enum().FullName())
	}
	return fd.Kind().String()
}
