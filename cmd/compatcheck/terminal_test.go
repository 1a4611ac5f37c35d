package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestColorMode(t *testing.T) {
	for _, tc := range []struct {
		mode     string
		terminal bool
		env      map[string]string
		want     bool
	}{
		{"auto", true, nil, true},
		{"auto", false, nil, false},
		{"auto", true, map[string]string{"NO_COLOR": "1"}, false},
		{"auto", true, map[string]string{"NO_COLOR": ""}, true},
		{"auto", true, map[string]string{"TERM": "dumb"}, false},
		{"auto", true, map[string]string{"TERM": "xterm-256color"}, true},
		{"always", false, map[string]string{"NO_COLOR": "1", "TERM": "dumb"}, true},
		{"never", true, nil, false},
	} {
		got, err := colorMode(tc.mode, tc.terminal, env(tc.env))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%+v", tc)
	}
	_, err := colorMode("yes", true, env(nil))
	assert.ErrorContains(t, err, `--color: unknown value "yes"`)
}

func TestProgressWanted(t *testing.T) {
	assert.True(t, progressWanted(true, false, env(nil)))
	assert.False(t, progressWanted(false, false, env(nil)), "not on a pipe or file")
	assert.False(t, progressWanted(true, true, env(nil)), "not with --quiet")
	assert.False(t, progressWanted(true, false, env(map[string]string{"CI": "true"})), "not in CI")
	assert.False(t, progressWanted(true, false, env(map[string]string{"TERM": "dumb"})))
}

// isTerminal is false for what a test or CI has: files, pipes and /dev/null (which is a
// character device, the trap of a mode-bits test).
func TestIsTerminalNotForFiles(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, isTerminal(f))
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null))
	assert.False(t, isTerminal(&bytes.Buffer{}))
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgress(t *testing.T) {
	// A comparison shorter than the delay prints nothing at all.
	var quick syncBuffer
	p := startProgress(&quick, time.Hour, time.Millisecond)
	p.set("comparing a with b")
	p.stop()
	assert.Empty(t, quick.String())

	// A long one shows what it compares and for how long, and erases the line at the end.
	var slow syncBuffer
	p = startProgress(&slow, time.Millisecond, time.Millisecond)
	p.set("comparing a with b")
	require.Eventually(t, func() bool { return strings.Count(slow.String(), "\r") >= 2 }, 5*time.Second, time.Millisecond)
	p.stop()
	out := slow.String()
	assert.Contains(t, out, "\r\x1b[2Kcompatcheck: comparing a with b (")
	assert.Contains(t, out, "s)")
	assert.True(t, strings.HasSuffix(out, "\r\x1b[2K"), "the line is erased: %q", out)

	// Without a writer, nothing runs.
	p = startProgress(nil, 0, time.Millisecond)
	p.set("x")
	p.stop()
}
