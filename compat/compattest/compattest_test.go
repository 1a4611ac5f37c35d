package compattest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSeedPairs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("both.txtar", "-- old/README --\nskip\n-- old/a.proto --\nA\n-- new/a.proto --\nB\n-- want --\n{}\n")
	write("one-sided.txtar", "-- old/a.proto --\nA\n-- error --\nx\n")
	got := SeedPairs(t, filepath.Join(dir, "*.txtar"), ".proto")
	assert.Equal(t, [][2][]byte{{[]byte("A\n"), []byte("B\n")}}, got)
}

func TestOption(t *testing.T) {
	comment := "Some prose.\nmodel: strict\naudience:internal\n"
	assert.Equal(t, "strict", Option(comment, "model"))
	assert.Equal(t, "internal", Option(comment, "audience"))
	assert.Equal(t, "", Option(comment, "pg-version"))
}
