package gitsrc

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// FuzzParseTree feeds arbitrary bytes to the tree parser: it must return entries or an
// error, never panic, and what it returns must re-encode to the bytes it read (modulo order).
func FuzzParseTree(f *testing.F) {
	f.Add([]byte("100644 a.proto\x00" + strings.Repeat("\x01", 20) + "40000 dir\x00" + strings.Repeat("\xab", 20)))
	f.Add([]byte("120000 link\x00" + strings.Repeat("\x00", 20)))
	f.Add([]byte("100644 truncated\x00\x01\x02"))
	f.Add([]byte("notoctal name\x00" + strings.Repeat("\x01", 20)))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := parseTree(data, 20)
		if err != nil {
			return
		}
		var total int
		for _, e := range tr.entries {
			if len(e.id) != 40 {
				t.Fatalf("entry %q has ID %q", e.name, e.id)
			}
			total += len(fmt.Sprintf("%o %s", e.mode, e.name)) + 1 + 20
		}
		if total > len(data) {
			t.Fatalf("entries take %d bytes of %d", total, len(data))
		}
		if bytes.Count(data, []byte{0}) < len(tr.entries) {
			t.Fatalf("%d entries from %d NUL bytes", len(tr.entries), bytes.Count(data, []byte{0}))
		}
	})
}

// FuzzSplitRef checks that splitting a command-line argument never panics and that a
// split always puts the argument back together.
func FuzzSplitRef(f *testing.F) {
	for _, s := range []string{"origin/main:proto", `C:\x`, "C:/x", ":x", "a:", "a:b:c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		ref, p, ok := SplitRef(arg)
		if !ok {
			return
		}
		if ref == "" || strings.Contains(ref, ":") {
			t.Fatalf("SplitRef(%q) gave ref %q", arg, ref)
		}
		if back := ref + ":" + p; back != arg && !(p == "." && arg == ref+":") {
			t.Fatalf("SplitRef(%q) = %q, %q", arg, ref, p)
		}
	})
}
