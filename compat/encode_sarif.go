package compat

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
)

// The SARIF format is written for GitHub code scanning, the consumer most users upload it
// to, within what SARIF 2.1.0 allows: every result has exactly one location, a
// partialFingerprints entry under our own key, and a rule in tool.driver.rules. The
// structs below are written out rather than taken from a SARIF library, because those
// emit defaults (empty arrays, zero indexes) the schema or GitHub reject.

const (
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// toolInfoURI is the project's home, recorded as tool.driver.informationUri.
	toolInfoURI = "https://github.com/compatcheck/compatcheck"
	// ruleReferenceURI is the published rule reference, docs/rules.md on the main branch.
	ruleReferenceURI = toolInfoURI + "/blob/main/docs/rules.md"
	// FingerprintKey names compatcheck's entry in a SARIF result's partialFingerprints.
	// The version suffix changes if the recipe of the fingerprint ever does, so code
	// scanning never matches results fingerprinted two different ways.
	FingerprintKey = "compatcheck/v1"
	// sarifAutomationID is runAutomationDetails.id: GitHub takes the part before the last
	// slash as the analysis category, so uploads of compatcheck results replace each
	// other and no other tool's. upload-sarif's category input overrides it.
	sarifAutomationID = "compatcheck/"
)

// RuleURL returns the address of a rule's entry in the published rule reference. The
// anchor is the one GitHub gives the rule's "### ID" heading in docs/rules.md: rule IDs
// are upper-case letters, digits and underscores, which GitHub keeps, lower-cased.
func RuleURL(id string) string {
	return ruleReferenceURI + "#" + strings.ToLower(id)
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	Invocations       []sarifInvocation `json:"invocations"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Results           []sarifResult     `json:"results"`
	Properties        *sarifRunProps    `json:"properties,omitempty"`
}

type sarifRunProps struct {
	Verdict Class `json:"verdict"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name"`
	ShortDescription     sarifText        `json:"shortDescription"`
	FullDescription      sarifText        `json:"fullDescription"`
	Help                 sarifMultiformat `json:"help"`
	HelpURI              string           `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig      `json:"defaultConfiguration"`
	Properties           sarifRuleProps   `json:"properties"`
}

type sarifRuleProps struct {
	Tags       []string `json:"tags"`
	Kind       Kind     `json:"kind,omitempty"`
	Class      string   `json:"class"`
	Backward   *bool    `json:"backward,omitempty"`
	Forward    *bool    `json:"forward,omitempty"`
	ReadersLag bool     `json:"readers_lag,omitempty"`
	Scope      string   `json:"scope,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ConfigNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string          `json:"level"`
	Message        sarifText       `json:"message"`
	Locations      []sarifLocation `json:"locations,omitempty"`
	AssociatedRule *sarifRuleRef   `json:"associatedRule,omitempty"`
}

type sarifRuleRef struct {
	ID string `json:"id"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Kind         Kind            `json:"kind"`
	Subject      string          `json:"subject"`
	Class        string          `json:"class"`
	Backward     *bool           `json:"backward,omitempty"`
	Forward      *bool           `json:"forward,omitempty"`
	ReadersLag   bool            `json:"readers_lag,omitempty"`
	Undecided    bool            `json:"undecided,omitempty"`
	Release      string          `json:"release,omitempty"`
	WritableFrom string          `json:"writable_from,omitempty"`
	HazardOf     string          `json:"hazard_of,omitempty"`
	Operations   []OperationRef  `json:"operations,omitempty"`
	Witness      json.RawMessage `json:"witness,omitempty"`
	Advice       []string        `json:"advice,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// encodeSARIF writes the report as one SARIF 2.1.0 log with one run. Each finding is a
// result; each hazard a finding carries is a result of its own hazard rule, so that code
// scanning shows a table rewrite as an alert even when the change itself is additive.
// tool.driver.rules holds the rules the run reports, not the whole registry: a log is
// read against its own rules, and the full registry would add hundreds of kilobytes of
// help text to every upload.
func encodeSARIF(w io.Writer, r *Report, opts EncodeOptions) error {
	rules := newSARIFRules(r)
	results := make([]sarifResult, 0, len(r.Findings))
	fps := fingerprinter{}
	for _, f := range r.Findings {
		results = append(results, sarifFinding(f, opts, rules, fps))
		for _, h := range f.Hazards {
			results = append(results, sarifHazard(f, h, opts, rules, fps))
		}
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range r.Unused {
		n := sarifNotification{
			Level: "warning",
			Message: sarifText{Text: fmt.Sprintf("Unused ignore of %s (%s): nothing it names was found; remove it.",
				d.Rule, oneLine(d.Reason))},
			AssociatedRule: &sarifRuleRef{ID: d.Rule},
		}
		if d.Pos.File != "" {
			n.Locations = []sarifLocation{sarifLoc(sidePath(opts.NewName, d.Pos.File), d.Pos)}
		}
		inv.ConfigNotifications = append(inv.ConfigNotifications, n)
	}
	log := sarifLog{
		Schema:  sarifSchemaURI,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:            "compatcheck",
				Version:         toolVersion(opts),
				SemanticVersion: semanticVersion(toolVersion(opts)),
				InformationURI:  toolInfoURI,
				Rules:           rules.list,
			}},
			Invocations:       []sarifInvocation{inv},
			AutomationDetails: sarifAutomation{ID: sarifAutomationID},
			Results:           results,
			Properties:        &sarifRunProps{Verdict: r.Verdict()},
		}},
	}
	return writeIndentedJSON(w, log)
}

// writeIndentedJSON writes v as indented JSON, all at once so that an encoding error
// leaves nothing half-written, and with '<', '>' and '&' as they are (messages quote
// types such as map<string, int32>, and no consumer renders them as HTML).
func writeIndentedJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// sarifFinding turns a finding into its result. The one location is where the finding is
// shown (its NEW position, or its OLD position when the element exists only there); a
// finding with both positions also gets the OLD one as a related location.
func sarifFinding(f Finding, opts EncodeOptions, rules *sarifRules, fps fingerprinter) sarifResult {
	pos := opts.displayPos(f)
	res := sarifResult{
		RuleID:    f.Rule,
		RuleIndex: rules.index(f.Rule),
		Level:     sarifLevel(findingLevel(f, opts.Policy, true)),
		Message:   sarifText{Text: sarifMessage(f)},
		Locations: []sarifLocation{sarifLoc(pos.File, pos)},
		PartialFingerprints: map[string]string{
			FingerprintKey: fps.next(f.Rule, sidePath(opts.NewName, f.Pos().File), f.Subject),
		},
		Properties: sarifResultProps{
			Kind: f.Kind, Subject: f.Subject, Class: f.Class().String(),
			Backward: ptr(f.Backward), Forward: ptr(f.Forward), ReadersLag: f.ReadersLag,
			Undecided: f.Undecided, Release: f.Release, WritableFrom: f.WritableFrom,
			Operations: f.Operations, Witness: f.Witness, Advice: f.Advice,
		},
	}
	if f.New != nil && f.Old != nil {
		loc := sarifLoc(sidePath(opts.OldName, f.Old.File), *f.Old)
		loc.ID = ptr(1)
		loc.Message = &sarifText{Text: "the element in the old version"}
		res.RelatedLocations = []sarifLocation{loc}
	}
	if f.Suppressed != "" {
		res.Suppressions = sarifSuppressions(f.Suppressed)
	}
	return res
}

// sarifHazard turns one hazard of a finding into a result of the hazard's rule, located
// at the hazard's statement when it has one of its own.
func sarifHazard(f Finding, h Hazard, opts EncodeOptions, rules *sarifRules, fps fingerprinter) sarifResult {
	pos := opts.displayPos(f)
	fileKey := sidePath(opts.NewName, f.Pos().File)
	if h.Pos != nil {
		pos = *h.Pos
		pos.File = sidePath(opts.NewName, h.Pos.File)
		fileKey = pos.File
	}
	level := "warning"
	if opts.Policy.Hazards {
		level = "error"
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s (%s).", sentence(h.Message), f.Subject)
	if what := hazardWhat(h); what != "" {
		fmt.Fprintf(&text, "\nThe statement %s.", what)
	}
	fmt.Fprintf(&text, "\nIt comes with %s: %s.", f.Rule, sentence(f.Message))
	writeSteps(&text, "\nSafe way:", h.Advice, plainText)
	res := sarifResult{
		RuleID:              h.Rule,
		RuleIndex:           rules.index(h.Rule),
		Level:               level,
		Message:             sarifText{Text: text.String()},
		Locations:           []sarifLocation{sarifLoc(pos.File, pos)},
		PartialFingerprints: map[string]string{FingerprintKey: fps.next(h.Rule, fileKey, f.Subject)},
		Properties: sarifResultProps{
			Kind: f.Kind, Subject: f.Subject, Class: "hazard", HazardOf: f.Rule, Release: f.Release,
			Advice: h.Advice,
		},
	}
	if f.Suppressed != "" {
		res.Suppressions = sarifSuppressions(f.Suppressed)
	}
	return res
}

// sarifSuppressions records an ignore directive's reason. The directive is written in the
// NEW version of the contract, so the suppression is kept in source.
func sarifSuppressions(reason string) []sarifSuppression {
	return []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: reason}}
}

// sarifMessage is the result's message: the change as its first sentence (what code
// scanning shows when space is short), then the answers and details, then the safe
// sequence of releases.
func sarifMessage(f Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s).", sentence(f.Message), f.Subject)
	fmt.Fprintf(&b, "\n%s: B (new readers accept what old writers produced) %s, F (old readers accept what new writers produce) %s.",
		capitalize(f.Class().String()), yesNo(f.Backward), yesNo(f.Forward))
	for _, fact := range findingFacts(f) {
		b.WriteString("\n" + fact)
	}
	if len(f.Advice) > 0 {
		writeSteps(&b, "\nSafe sequence:", f.Advice, plainText)
	} else if r, ok := LookupRule(f.Rule); ok && f.Class() >= ReadTolerant {
		fmt.Fprintf(&b, "\nSafe alternative: %s", oneLine(r.Safe))
	}
	if f.Suppressed != "" {
		fmt.Fprintf(&b, "\nIgnored: %s", oneLine(f.Suppressed))
	}
	return b.String()
}

// findingFacts are the sentences a finding's details take in the formats that write
// them out (SARIF messages, JUnit failure text): what qualifies its answers, when it
// happened, what it reaches, a witness and its hazards.
func findingFacts(f Finding) []string {
	var facts []string
	if f.ReadersLag {
		facts = append(facts, "Its readers cannot be upgraded before its writers.")
	}
	if f.Undecided {
		facts = append(facts, "The answer is undecided: compatcheck could not prove the change safe and answered no.")
	}
	if f.Release != "" {
		facts = append(facts, fmt.Sprintf("Release: %s.", f.Release))
	}
	if f.WritableFrom != "" {
		facts = append(facts, fmt.Sprintf("Writers may emit the new shape from release %s.", f.WritableFrom))
	}
	if len(f.Operations) > 0 {
		ops := make([]string, len(f.Operations))
		for i, op := range f.Operations {
			ops[i] = op.Operation + " (" + op.Role + ")"
		}
		facts = append(facts, fmt.Sprintf("Reaches %s.", strings.Join(ops, ", ")))
	}
	if len(f.Witness) > 0 {
		facts = append(facts, "Witness: "+witnessLine(f.Witness))
	}
	for _, h := range f.Hazards {
		fact := fmt.Sprintf("Hazard %s: %s.", h.Rule, sentence(h.Message))
		if what := hazardWhat(h); what != "" {
			fact += " The statement " + what + "."
		}
		facts = append(facts, fact)
	}
	return facts
}

// writeSteps appends a numbered list of steps after intro, each step through esc.
func writeSteps(b *strings.Builder, intro string, steps []string, esc func(string) string) {
	if len(steps) == 0 {
		return
	}
	b.WriteString(intro)
	for i, s := range steps {
		fmt.Fprintf(b, "\n%d. %s", i+1, esc(oneLine(s)))
	}
}

func plainText(s string) string { return s }

// sarifLoc is a physical location: uri is the display path (joined to OLD or NEW), pos
// gives the region when its line is known.
func sarifLoc(uri string, pos Position) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(uri)}}}
	if pos.Line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: pos.Line, StartColumn: max(pos.Column, 0)}
	}
	return loc
}

// fileURI turns a slash-separated display path into a URI reference: a relative path
// stays relative (code scanning resolves it against the repository root), with the
// characters a URI cannot hold percent-encoded; an absolute path becomes a file: URI.
func fileURI(p string) string {
	if p == "" {
		// A finding about the comparison as a whole names no file; "." is the root.
		return "."
	}
	if path.IsAbs(p) || isDrivePath(p) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// isDrivePath reports whether p starts with a Windows drive letter, such as C:/.
func isDrivePath(p string) bool {
	return len(p) >= 3 && p[1] == ':' && p[2] == '/' &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// sarifRules collects the rule descriptors of the rules a run reports, in the registry's
// order (by kind, then ID), so that results can point into the list by index.
type sarifRules struct {
	list []sarifRule
	at   map[string]int
}

// newSARIFRules describes every rule the report names, its findings' and their hazards':
// registered rules in registry order, then unregistered ones by ID.
func newSARIFRules(r *Report) *sarifRules {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, f := range r.Findings {
		add(f.Rule)
		for _, h := range f.Hazards {
			add(h.Rule)
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		ra, okA := LookupRule(a)
		rb, okB := LookupRule(b)
		switch {
		case okA && okB:
			if c := cmp.Compare(kindOrder(ra.Kind), kindOrder(rb.Kind)); c != 0 {
				return c
			}
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return cmp.Compare(a, b)
	})
	s := &sarifRules{list: make([]sarifRule, 0, len(ids)), at: make(map[string]int, len(ids))}
	for i, id := range ids {
		s.at[id] = i
		s.list = append(s.list, sarifRuleFor(id))
	}
	return s
}

// index returns the position of the rule's descriptor in the run's rule list.
func (s *sarifRules) index(id string) int { return s.at[id] }

// sarifRuleFor describes a rule from its declaration. A rule missing from the registry (a
// finding made by a program that did not register its rules) still gets a descriptor, so
// the log stays valid, with the ID standing for the missing text.
func sarifRuleFor(id string) sarifRule {
	r, ok := LookupRule(id)
	if !ok {
		return sarifRule{
			ID: id, Name: ruleName(id),
			ShortDescription:     sarifText{Text: id},
			FullDescription:      sarifText{Text: id + " is not in compatcheck's rule registry."},
			Help:                 sarifMultiformat{Text: id, Markdown: "`" + id + "`"},
			DefaultConfiguration: sarifConfig{Level: "warning"},
			Properties:           sarifRuleProps{Tags: []string{"compatibility"}, Class: "unknown"},
		}
	}
	props := sarifRuleProps{Kind: r.Kind, ReadersLag: r.ReadersLag, Scope: r.Scope}
	level := "warning"
	if r.Hazard {
		props.Class = "hazard"
		props.Tags = []string{"compatibility", string(r.Kind), "hazard"}
	} else {
		props.Class = r.Class().String()
		props.Backward, props.Forward = ptr(r.Backward), ptr(r.Forward)
		props.Tags = []string{"compatibility", string(r.Kind), props.Class}
		level = sarifLevel(classLevel(r.Class()))
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifText{Text: sentence(r.Title) + "."},
		FullDescription:      sarifText{Text: oneLine(r.Why)},
		Help:                 sarifMultiformat{Text: ruleHelpText(r), Markdown: ruleHelpMarkdown(r)},
		HelpURI:              RuleURL(r.ID),
		DefaultConfiguration: sarifConfig{Level: level},
		Properties:           props,
	}
}

// ruleName turns FIELD_NUMBER_CHANGED into FieldNumberChanged, the readable identifier
// SARIF's reportingDescriptor.name asks for.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "_") {
		if part == "" {
			continue
		}
		b.WriteString(part[:1])
		b.WriteString(strings.ToLower(part[1:]))
	}
	return b.String()
}

// ruleHelpText is the plain-text help of a rule: title, class, why, example, safe way.
func ruleHelpText(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s.\n\n%s\n\nWhy: %s\n", sentence(r.Title), ruleClassLine(r), oneLine(r.Why))
	if r.Old != "" {
		fmt.Fprintf(&b, "\nOld:\n%s\n", strings.TrimRight(r.Old, "\n"))
	}
	if r.New != "" {
		fmt.Fprintf(&b, "\nNew:\n%s\n", strings.TrimRight(r.New, "\n"))
	}
	fmt.Fprintf(&b, "\nSafe alternative: %s\n\nReference: %s", oneLine(r.Safe), RuleURL(r.ID))
	return b.String()
}

// ruleHelpMarkdown is the Markdown help of a rule, as code scanning shows it beside an
// alert: the same content as the rule reference's entry.
func ruleHelpMarkdown(r *Rule) string {
	var b strings.Builder
	label, rest, _ := strings.Cut(ruleClassLine(r), ": ")
	fmt.Fprintf(&b, "**%s.**\n\n- **%s**: %s\n", mdEscape(sentence(r.Title)), label, mdEscape(rest))
	if r.Scope != "" {
		fmt.Fprintf(&b, "- **Scope**: %s\n", mdEscape(r.Scope))
	}
	fmt.Fprintf(&b, "- **Why**: %s\n", mdEscape(oneLine(r.Why)))
	lang := fence(r.Kind)
	if r.Old != "" {
		fmt.Fprintf(&b, "\nOld:\n\n%s", codeBlock(lang, r.Old))
	}
	if r.New != "" {
		fmt.Fprintf(&b, "\nNew:\n\n%s", codeBlock(lang, r.New))
	}
	fmt.Fprintf(&b, "\n**Safe alternative**: %s\n\n[Rule reference](%s)", mdEscape(oneLine(r.Safe)), RuleURL(r.ID))
	return b.String()
}

// ruleClassLine says a rule's class and answers in one line.
func ruleClassLine(r *Rule) string {
	if r.Hazard {
		return "Hazard: reported beside the class of the change that carries it."
	}
	s := fmt.Sprintf("Class: %s (B: %s, F: %s", r.Class(), yesNo(r.Backward), yesNo(r.Forward))
	if r.ReadersLag {
		s += "; readers cannot be upgraded first"
	}
	return s + ")."
}

// codeBlock fences text, with a fence longer than any run of backticks inside it.
func codeBlock(lang, text string) string {
	fenceLen := max(3, longestRun(text, '`')+1)
	f := strings.Repeat("`", fenceLen)
	return fmt.Sprintf("%s%s\n%s\n%s\n", f, lang, strings.TrimRight(text, "\n"), f)
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// level is how loudly the three-level formats (github annotations, SARIF) show a finding.
type level int

const (
	levelNote level = iota
	levelWarning
	levelError
)

// findingLevel ranks a finding: error when it fails the policy, warning when it is
// breaking or read-tolerant or carries a hazard, note otherwise. asIfKept ranks a
// suppressed finding as if it were not suppressed, so that SARIF, which marks the
// suppression itself, keeps the finding's real severity.
func findingLevel(f Finding, p Policy, asIfKept bool) level {
	if f.Suppressed != "" {
		if !asIfKept {
			return levelNote
		}
		f.Suppressed = ""
	}
	switch {
	case p.Fails(f):
		return levelError
	case f.Class() >= ReadTolerant || len(f.Hazards) > 0:
		return levelWarning
	}
	return levelNote
}

// classLevel is the default level of a rule of class c: breaking is an error,
// read-tolerant a warning, additive a note.
func classLevel(c Class) level {
	switch c {
	case Breaking:
		return levelError
	case ReadTolerant:
		return levelWarning
	}
	return levelNote
}

func sarifLevel(l level) string {
	return [...]string{levelNote: "note", levelWarning: "warning", levelError: "error"}[l]
}

// fingerprinter hands out fingerprints that identify a finding across runs without its
// line number: a hash of rule, file and subject, so that a line moving does not reopen
// an alert. Findings that share all three (rare: two messages about one element) are
// told apart by their order in the report, written after a colon as code scanning's own
// fingerprints are.
type fingerprinter map[string]int

func (fp fingerprinter) next(rule, file, subject string) string {
	sum := sha256.Sum256([]byte(rule + "\x00" + file + "\x00" + subject))
	h := hex.EncodeToString(sum[:16])
	fp[h]++
	return fmt.Sprintf("%s:%d", h, fp[h])
}

// toolVersion is the version recorded in machine formats: the one the caller gives, or
// the version of this module in the running binary's build information.
func toolVersion(opts EncodeOptions) string {
	if opts.ToolVersion != "" {
		return opts.ToolVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	const module = "github.com/compatcheck/compatcheck"
	if info.Main.Path == module {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == module {
			return d.Version
		}
	}
	return ""
}

var semverTag = regexp.MustCompile(`^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)

// semanticVersion returns the Semantic Versioning form of a Go module version (v1.2.3 →
// 1.2.3), or "" when the version is not one, such as "(devel)".
func semanticVersion(v string) string {
	if m := semverTag.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	return ""
}

// sentence trims a message's trailing period, so callers can end the sentence themselves.
func sentence(s string) string {
	return strings.TrimRight(oneLine(s), ".")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hazardWhat describes the lock and table work of a hazard, or "" when neither is known.
func hazardWhat(h Hazard) string {
	var what []string
	if h.Lock != "" {
		what = append(what, "takes an "+h.Lock+" lock")
	}
	if h.Rewrites {
		what = append(what, "rewrites the table")
	} else if h.Scans {
		what = append(what, "scans the table")
	}
	return strings.Join(what, " and ")
}

func ptr[T any](v T) *T { return &v }

func init() { RegisterFormat("sarif", encodeSARIF) }
