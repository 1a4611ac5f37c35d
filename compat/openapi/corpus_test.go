package openapi

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// corpusDigests holds the SHA-256 of the JSON report of each corpus pair, so that a
// change meant only to make the comparison faster is shown to leave every report
// byte-identical. It is rewritten, on purpose, with COMPATCHECK_UPDATE_CORPUS=1.
const corpusDigests = "testdata/corpus_reports.sha256"

// TestCorpus compares the published specs of ../shared/corpora (Stripe over four years,
// Cloudflare over two) old → new and each version with itself. Every comparison must
// succeed (a published, valid spec is never refused), a version compared with itself
// must report nothing, and each old → new report must hash to its recorded digest. The
// findings per rule and class are logged (go test -v -run TestCorpus) for reading.
// It is skipped when the corpora are absent and under -short.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpora")
	}
	want := readDigests(t)
	got := map[string]string{}
	for _, p := range corpusPairs {
		t.Run(p.name, func(t *testing.T) {
			old, new := corpusSource(t, p, "old"), corpusSource(t, p, "new")
			opts := Options{Now: func() time.Time { return testNow }}
			for side, src := range map[string]compat.Source{"old": old, "new": new} {
				self, err := Compare(context.Background(), src, src, opts)
				if err != nil {
					t.Fatalf("%s compared with itself: %v", side, err)
				}
				if len(self.Findings) > 0 {
					t.Errorf("%s compared with itself reports %d findings, first %s %s", side, len(self.Findings), self.Findings[0].Rule, self.Findings[0].Subject)
				}
			}
			start := time.Now()
			r, err := Compare(context.Background(), old, new, opts)
			if err != nil {
				t.Fatalf("old → new: %v", err)
			}
			logFindings(t, r, time.Since(start))
			compattest.CheckPromises(t, r)
			sum := sha256.Sum256(compattest.EncodeJSON(t, r))
			got[p.name] = hex.EncodeToString(sum[:])
			if w, ok := want[p.name]; ok && w != got[p.name] && os.Getenv("COMPATCHECK_UPDATE_CORPUS") == "" {
				t.Errorf("the report changed: sha256 %s, recorded %s (read the change; COMPATCHECK_UPDATE_CORPUS=1 records it)", got[p.name], w)
			}
		})
	}
	if os.Getenv("COMPATCHECK_UPDATE_CORPUS") != "" && len(got) == len(corpusPairs) {
		writeDigests(t, got)
	}
}

// logFindings logs how many findings of each rule and class a report holds, and how many
// are undecided or suppressed.
func logFindings(t *testing.T, r *compat.Report, took time.Duration) {
	t.Helper()
	byRule := map[string]int{}
	byClass := map[compat.Class]int{}
	undecided := 0
	for _, f := range r.Findings {
		byRule[f.Rule+" ("+f.Class().String()+")"]++
		byClass[f.Class()]++
		if f.Undecided {
			undecided++
		}
	}
	rules := make([]string, 0, len(byRule))
	for k := range byRule {
		rules = append(rules, k)
	}
	sort.Slice(rules, func(i, j int) bool {
		if byRule[rules[i]] != byRule[rules[j]] {
			return byRule[rules[i]] > byRule[rules[j]]
		}
		return rules[i] < rules[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%d findings in %v: %d breaking, %d read-tolerant, %d additive, %d undecided\n", len(r.Findings), took.Round(time.Millisecond),
		byClass[compat.Breaking], byClass[compat.ReadTolerant], byClass[compat.Additive], undecided)
	for _, k := range rules {
		fmt.Fprintf(&b, "%6d %s\n", byRule[k], k)
	}
	t.Log(b.String())
}

func readDigests(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	f, err := os.Open(corpusDigests)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, sum, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s: malformed line %q", corpusDigests, line)
		}
		out[name] = strings.TrimSpace(sum)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func writeDigests(t *testing.T, sums map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# SHA-256 of the JSON report of each corpus pair (TestCorpus). Rewrite with\n")
	b.WriteString("# COMPATCHECK_UPDATE_CORPUS=1 go test ./compat/openapi -run TestCorpus, after reading the change.\n")
	for _, p := range corpusPairs {
		fmt.Fprintf(&b, "%s %s\n", p.name, sums[p.name])
	}
	if err := os.WriteFile(corpusDigests, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
