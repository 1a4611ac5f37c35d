//go:build linux

package compatcheck_test

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
)

// BenchmarkCorporaCLI runs the compatcheck command on each corpus pair as CI would
// (--format json to a discarded stdout) and reports its wall time and peak resident set
// size (getrusage, Linux), the two numbers issue 11 compares with the peers.
func BenchmarkCorporaCLI(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "compatcheck")
	build := exec.Command("go", "build", "-o", bin, "./cmd/compatcheck")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	empty := b.TempDir()
	for _, p := range corpusPairs {
		b.Run(p.label(), func(b *testing.B) {
			if p.kind == compat.KindSQL && !compatcheck.SQLAvailable {
				b.Skip("the SQL engine needs cgo")
			}
			p.sources(b) // skips when the corpus is absent
			dir := filepath.Join(corporaRoot, p.name)
			old, new := filepath.Join(dir, "old", p.file), filepath.Join(dir, "new", p.file)
			if p.fromEmpty {
				old = empty
			}
			var peak int64
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(bin, "--format", "json", old, new)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				if code := cmd.ProcessState.ExitCode(); code != 0 && code != 1 {
					b.Fatalf("exit %d (%v): %s", code, err, stderr.String())
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > peak {
					peak = ru.Maxrss // KiB on Linux
				}
			}
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
		})
	}
}
