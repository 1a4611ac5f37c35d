package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
)

// FuzzParse feeds arbitrary bytes to the decoder, seeded with every example
// configuration: it must never panic, and every refusal must be a positioned
// *compat.Error in the file, as the command prints it.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("compatcheck.yaml", data)
		if err != nil {
			var ce *compat.Error
			if !errors.As(err, &ce) || ce.Pos.File != "compatcheck.yaml" {
				t.Fatalf("refusal is not a positioned error in the file: %#v", err)
			}
			return
		}
		if len(cfg.Contracts) == 0 {
			t.Fatal("an accepted configuration has no contracts")
		}
		for _, ct := range cfg.Contracts {
			if ct.Name == "" || ct.Path == "" {
				t.Fatalf("an accepted contract lacks its name or path: %+v", ct)
			}
		}
		for _, ig := range cfg.Ignores {
			if ig.Reason == "" || (ig.Subject == "" && ig.Path == "") {
				t.Fatalf("an accepted ignore lacks its reason or target: %+v", ig)
			}
		}
		_ = cfg.Policy()
	})
}
