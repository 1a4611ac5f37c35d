package compat

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleFindings() []Finding {
	return []Finding{
		{Rule: "FIELD_NUMBER_CHANGED", Kind: KindProto, Subject: "shop.v1.Order.note",
			Message: "field note changed number from 2 to 3", Old: Pos("a.proto", 3, 3), New: Pos("a.proto", 3, 3)},
		{Rule: "ENUM_VALUE_ADDED", Backward: true, Kind: KindProto, Subject: "shop.v1.Status.CANCELLED",
			Message: "enum value CANCELLED added", New: Pos("a.proto", 9, 3),
			Advice: []string{"Release readers that handle CANCELLED.", "Then release writers that emit it."}},
		{Rule: "FIELD_ADDED", Backward: true, Forward: true, Kind: KindProto, Subject: "shop.v1.Order.gift",
			Message: "field gift added", New: Pos("b.proto", 1, 1)},
		{Rule: "MESSAGE_DELETED", Kind: KindProto, Subject: "shop.v1.Gone",
			Message: "message Gone deleted", Old: Pos("a.proto", 20, 1)},
	}
}

func TestReportOrderIsCanonical(t *testing.T) {
	want := NewReport(sampleFindings())
	var wantJSON bytes.Buffer
	require.NoError(t, Encode(&wantJSON, want, "json", EncodeOptions{}))
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		shuffled := sampleFindings()
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		var got bytes.Buffer
		require.NoError(t, Encode(&got, &Report{Findings: shuffled}, "json", EncodeOptions{}))
		require.Equal(t, wantJSON.String(), got.String())
	}
}

func TestVerdict(t *testing.T) {
	r := NewReport(sampleFindings())
	assert.Equal(t, Breaking, r.Verdict())
	assert.Equal(t, 2, r.Count(Breaking))
	assert.Equal(t, 1, r.Count(ReadTolerant))
	assert.Equal(t, None, (&Report{}).Verdict())
	// Suppressed findings count toward nothing.
	sup := NewReport([]Finding{{Rule: "X", Suppressed: "accepted: table is empty"}})
	assert.Equal(t, None, sup.Verdict())
	assert.Empty(t, sup.Failures(Policy{}))
}

func TestSortDropsExactDuplicates(t *testing.T) {
	f := sampleFindings()[0]
	r := NewReport([]Finding{f, f})
	assert.Len(t, r.Findings, 1)
}

// TestHistoryContext checks that findings of earlier releases are context: they leave the
// verdict and the counts alone and fail only when the policy asks for history.
func TestHistoryContext(t *testing.T) {
	head := Finding{Rule: "FIELD_ADDED", Backward: true, Forward: true, Kind: KindProto, Subject: "a.B.c", New: Pos("a.proto", 1, 1)}
	old := Finding{Rule: "FIELD_NUMBER_CHANGED", Kind: KindProto, Subject: "a.B.d", Release: "v1.2.0", New: Pos("a.proto", 2, 1)}
	r := NewReport([]Finding{head, old})
	assert.Equal(t, Additive, r.Verdict())
	assert.Equal(t, 0, r.Count(Breaking))
	assert.Empty(t, r.Failures(FailOn(Breaking)))
	withHistory := FailOn(Breaking)
	withHistory.History = true
	assert.Equal(t, []Finding{old}, r.Failures(withHistory))

	var buf bytes.Buffer
	old.WritableFrom = "v1.3.0"
	old.Backward = true
	require.NoError(t, Encode(&buf, NewReport([]Finding{old}), "text", EncodeOptions{Policy: FailOn(ReadTolerant)}))
	assert.Equal(t, "a.proto\n  2:1     read-tolerant FIELD_NUMBER_CHANGED a.B.d:  (in v1.2.0)\n          writable from v1.3.0\n\nverdict: none (0 breaking, 0 read-tolerant, 0 additive)\n", buf.String())
}

// TestRejectedHazardFailsEveryPolicy: a statement the server refuses cannot be applied,
// so its finding fails even when neither its class nor --fail-on-hazard would fail it.
func TestRejectedHazardFailsEveryPolicy(t *testing.T) {
	carrier := Finding{Rule: "INDEX_ADDED", Backward: true, Forward: true, Kind: KindSQL, Subject: "t_a_idx",
		Hazards: []Hazard{{Rule: "STATEMENT_NOT_ALLOWED_IN_TRANSACTION", Message: "refused in a transaction", Rejected: true}}}
	plain := carrier
	plain.Hazards = []Hazard{{Rule: "INDEX_BUILT_WITHOUT_CONCURRENTLY", Message: "blocks writes"}}
	for _, p := range []Policy{{}, FailOn(Breaking), FailOn(None), {Hazards: false}} {
		assert.True(t, p.Fails(carrier), "%+v must fail a rejected hazard", p)
		assert.False(t, p.Fails(plain), "%+v must not fail an additive finding with an ordinary hazard", p)
	}
	assert.True(t, Policy{Hazards: true}.Fails(plain))
	suppressed := carrier
	suppressed.Suppressed = "applied by hand outside a transaction"
	assert.False(t, FailOn(Breaking).Fails(suppressed), "an ignore directive still waives the finding")

	r := NewReport([]Finding{carrier})
	assert.Equal(t, Additive, r.Verdict(), "a rejected hazard does not change the class")
	assert.Len(t, r.Failures(Policy{}), 1)
	var js, text bytes.Buffer
	require.NoError(t, Encode(&js, r, "json", EncodeOptions{}))
	assert.Contains(t, js.String(), `"rejected": true`)
	require.NoError(t, Encode(&text, r, "text", EncodeOptions{}))
	assert.Contains(t, text.String(), "hazard STATEMENT_NOT_ALLOWED_IN_TRANSACTION (refused by the server): refused in a transaction")
	assert.Contains(t, text.String(), "[fails]")
}

func TestPolicyPerContract(t *testing.T) {
	readTolerant := Finding{Rule: "ENUM_VALUE_ADDED", Backward: true, Kind: KindProto, Contract: "events"}
	breaking := Finding{Rule: "FIELD_NUMBER_CHANGED", Kind: KindProto, Contract: "api"}
	plain := Finding{Rule: "ENUM_VALUE_ADDED", Backward: true, Kind: KindProto}
	p := FailOn(Breaking)
	p.Contracts = map[string]Policy{"events": FailOn(ReadTolerant), "api": FailOn(None)}
	assert.True(t, p.Fails(readTolerant), "events fails on read-tolerant")
	assert.False(t, p.Fails(breaking), "api fails on nothing")
	assert.False(t, p.Fails(plain), "a finding of no contract takes the global policy")
	other := readTolerant
	other.Contract = "unlisted"
	assert.False(t, p.Fails(other), "a contract without its own policy takes the global one")
}

func TestReportFailedOnExpiredIgnore(t *testing.T) {
	r := NewReport(nil)
	assert.False(t, r.Failed(Policy{}))
	r.Expired = []Directive{{Rule: "FIELD_NUMBER_CHANGED", Reason: "migration window", Expires: "2025-01-31",
		Pos: Position{File: "compatcheck.yaml", Line: 12, Column: 5}}}
	assert.True(t, r.Failed(FailOn(None)), "an expired ignore fails whatever the threshold")
	assert.Equal(t, None, r.Verdict(), "it is not a finding")

	var text bytes.Buffer
	require.NoError(t, Encode(&text, r, "text", EncodeOptions{NewName: "."}))
	assert.Equal(t, "compatcheck.yaml:12:5: ignore of FIELD_NUMBER_CHANGED (migration window) expired on 2025-01-31: "+
		"it no longer suppresses anything; fix what it hid, or renew it with a new date and reason [fails]\n\n"+
		"verdict: none (0 breaking, 0 read-tolerant, 0 additive)\n", text.String())
	var js bytes.Buffer
	require.NoError(t, Encode(&js, r, "json", EncodeOptions{}))
	assert.Contains(t, js.String(), `"expired_ignores": [
    {
      "rule": "FIELD_NUMBER_CHANGED",
      "reason": "migration window",
      "position": {
        "file": "compatcheck.yaml",
        "line": 12,
        "column": 5
      },
      "expires": "2025-01-31"
    }
  ]`)
	var gh bytes.Buffer
	require.NoError(t, Encode(&gh, r, "github", EncodeOptions{NewName: "repo"}))
	assert.Equal(t, "::error file=repo/compatcheck.yaml,line=12,col=5,title=expired ignore of FIELD_NUMBER_CHANGED::"+
		"ignore of FIELD_NUMBER_CHANGED (migration window) expired on 2025-01-31: it no longer suppresses anything; "+
		"fix what it hid, or renew it with a new date and reason\n", gh.String())
}

func TestContractInJSON(t *testing.T) {
	r := NewReport([]Finding{{Rule: "FIELD_ADDED", Backward: true, Forward: true, Kind: KindProto, Contract: "shop",
		Subject: "s.v1.M.f", Message: "field f added", New: Pos("proto/a.proto", 1, 1)}})
	var js bytes.Buffer
	require.NoError(t, Encode(&js, r, "json", EncodeOptions{}))
	assert.Contains(t, js.String(), `"kind": "proto",
      "contract": "shop",
      "subject": "s.v1.M.f"`)
	plain := NewReport(sampleFindings())
	js.Reset()
	require.NoError(t, Encode(&js, plain, "json", EncodeOptions{}))
	assert.NotContains(t, js.String(), `"contract"`, "a plain comparison names no contract")
}
