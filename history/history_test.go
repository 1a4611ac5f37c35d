package history

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestVersionOf(t *testing.T) {
	for tag, want := range map[string]string{
		"v1.2.3": "v1.2.3", "1.2.3": "v1.2.3", "api/v1.2.3": "v1.2.3", "v1.2": "v1.2.0",
		"v2.0.0-rc.1": "v2.0.0-rc.1", "v1.0.0+build.5": "v1.0.0", "vnext": "", "release-1": "", "": "",
	} {
		got, ok := versionOf(tag)
		assert.Equal(t, want != "", ok, tag)
		assert.Equal(t, want, got, tag)
	}
}

func TestRelated(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a.json#/properties/x", "a.json#/properties/x", true},
		{"a.json#/properties/x", "a.json#/properties/x/enum", true},
		{"a.json#/properties/x", "a.json#/properties/xy", false},
		{"shop.v1.Order", "shop.v1.Order.note", true},
		{"shop.v1.Order.note", "shop.v1.Order.notes", false},
		{"GET /a", "GET /a #/responses/200", true},
		{"users.name", "users.full_name", false},
	} {
		assert.Equal(t, tc.want, related(tc.a, tc.b), "%s ~ %s", tc.a, tc.b)
		assert.Equal(t, tc.want, related(tc.b, tc.a), "%s ~ %s", tc.b, tc.a)
	}
	assert.Equal(t, "shop.v1.Status", parent("shop.v1.Status.NEW"))
	assert.Equal(t, "", parent("orders"))
}

func TestDays(t *testing.T) {
	d := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, 0, days(d, d.Add(23*time.Hour)))
	assert.Equal(t, 1, days(d, d.Add(24*time.Hour)))
	assert.Equal(t, 0, days(d, d.Add(-48*time.Hour)), "a removal dated before its deprecation counts no days")
	assert.Equal(t, "1 release", plural(1, "release"))
	assert.Equal(t, "3 releases and 30 days", joinAnd([]string{"3 releases", "30 days"}))
}

// FuzzVersionOf reads arbitrary tag names as versions: never a panic, and a tag read as a
// version always reads back as the same canonical version.
func FuzzVersionOf(f *testing.F) {
	for _, s := range []string{"v1.2.3", "1.2", "api/v2.0.0-rc.1", "vnext", "v1.0.0+meta", "/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		canon, ok := versionOf(tag)
		if !ok {
			return
		}
		again, ok2 := versionOf(canon)
		if !ok2 || again != canon {
			t.Fatalf("versionOf(%q) = %q, which reads back as %q, %v", tag, canon, again, ok2)
		}
	})
}
