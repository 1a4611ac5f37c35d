package sqlmigrate

import "testing"

// TestDeprecationMarker pins the marker syntax docs/sql.md documents: the comment starts
// with "deprecated" or "@deprecated" as a whole word, in any letter case.
func TestDeprecationMarker(t *testing.T) {
	for comment, want := range map[string]bool{
		"deprecated":                     true,
		"Deprecated.":                    true,
		"DEPRECATED: use full_name":      true,
		"@deprecated since 4.2":          true,
		"  \n\tdeprecated (see #12)":     true,
		"deprecated-in-favour-of-email":  true,
		"Not deprecated: still required": false,
		"this column is deprecated":      false,
		"deprecatedness":                 false,
		"undeprecated":                   false,
		"@ deprecated":                   false,
		"":                               false,
	} {
		if got := isDeprecationMarker(comment); got != want {
			t.Errorf("isDeprecationMarker(%q) = %v, want %v", comment, got, want)
		}
	}
}
