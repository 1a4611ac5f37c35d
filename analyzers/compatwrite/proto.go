package compatwrite

import (
	"context"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// protoAdditions asks compat/proto what the package's descriptors added since the
// baseline, and keeps the read-tolerant enum values and methods.
func (st *state) protoAdditions(ctx context.Context, baseline *contract.Snapshot) {
	pc := st.contracts.Proto
	if len(pc.Files) == 0 || len(baseline.ProtoFiles) == 0 {
		return
	}
	report, err := contract.CompareProto(ctx, baseline, pc)
	if err != nil {
		return // a baseline that cannot be rebuilt is compatbaseline's to report
	}
	for _, f := range report.Findings {
		if f.Class() != compat.ReadTolerant {
			continue
		}
		switch f.Rule {
		case "ENUM_VALUE_ADDED":
			i := strings.LastIndexByte(f.Subject, '.')
			enum, value := protoreflect.FullName(f.Subject[:i]), protoreflect.Name(f.Subject[i+1:])
			for tn, ed := range pc.Enums {
				if ed.FullName() != enum {
					continue
				}
				vd := ed.Values().ByName(value)
				if vd == nil {
					continue
				}
				fact := st.enums[tn]
				if fact == nil {
					fact = &enumFact{Contract: "proto", Name: string(enum)}
					st.enums[tn] = fact
				}
				fact.Values = append(fact.Values, addedValue{
					Name: string(value), Value: strconv.Itoa(int(vd.Number())), Where: ed.ParentFile().Path(), Finding: f,
				})
			}
		case "METHOD_ADDED":
			i := strings.LastIndexByte(f.Subject, '.')
			st.added = append(st.added, addedMethod{Path: "/" + f.Subject[:i] + "/" + f.Subject[i+1:], Where: f.Pos().File, Finding: f})
		case "SERVICE_ADDED":
			for _, src := range pc.Files {
				sd := src.Desc.Services().ByName(protoreflect.FullName(f.Subject).Name())
				if sd == nil || string(sd.FullName()) != f.Subject {
					continue
				}
				for j := 0; j < sd.Methods().Len(); j++ {
					st.added = append(st.added, addedMethod{Path: "/" + f.Subject + "/" + string(sd.Methods().Get(j).Name()), Where: f.Pos().File, Finding: f})
				}
			}
		}
	}
}

// mapMethods marks the generated constants and client methods of this package that
// call a method added here or in an imported package (Connect's generated packages call
// the methods of another package's descriptors).
func (st *state) mapMethods() {
	rpcs := st.contracts.Proto.RPCs
	if len(rpcs) == 0 {
		return
	}
	added := map[string]addedMethod{}
	for _, m := range st.added {
		added[m.Path] = m
	}
	for _, pf := range st.pass.AllPackageFacts() {
		if f, ok := pf.Fact.(*packageFact); ok {
			for _, m := range f.Methods {
				added[m.Path] = m
			}
		}
	}
	for obj, path := range rpcs {
		if m, ok := added[path]; ok {
			st.methods[obj] = &methodFact{Method: m}
		}
	}
}
