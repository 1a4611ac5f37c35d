package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal. Only an *os.File can be one; a pipe, a file
// or /dev/null is not (a character device test would take /dev/null for a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// colorMode decides --color: "always" colours, "never" does not, and "auto" colours only
// when standard output is a terminal, NO_COLOR is unset or empty (https://no-color.org)
// and TERM is not "dumb". An explicit --color=always wins over NO_COLOR, as the NO_COLOR
// convention lets a command-line flag do.
func colorMode(mode string, stdoutIsTerminal bool, getenv func(string) string) (bool, error) {
	switch mode {
	case "always":
		return true, nil
	case "never":
		return false, nil
	case "auto":
		return stdoutIsTerminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb", nil
	}
	return false, usageError{fmt.Sprintf("--color: unknown value %q (want auto, always or never)", mode)}
}

// progressWanted decides whether the comparison shows progress: only for a person
// watching, so stderr must be a terminal that understands cursor control, CI unset (CI
// logs keep every carriage return as a line), and --quiet not given.
func progressWanted(stderrIsTerminal, quiet bool, getenv func(string) string) bool {
	return stderrIsTerminal && !quiet && getenv("CI") == "" && getenv("TERM") != "dumb"
}

// The progress line appears only when a comparison takes longer than progressDelay, so
// that fast runs print nothing extra, and is redrawn every progressEvery.
const (
	progressDelay = time.Second
	progressEvery = 200 * time.Millisecond
)

// progress is a one-line status on stderr: what is being compared and for how long. It
// draws nothing until delay has passed, and erases itself when stopped, so the report
// that follows starts on a clean line.
type progress struct {
	w            io.Writer
	delay, every time.Duration
	start        time.Time

	mu    sync.Mutex
	label string
	drawn bool
	done  chan struct{}
	wg    sync.WaitGroup
}

// startProgress starts a progress line on w; a nil w gives a progress that draws nothing.
func startProgress(w io.Writer, delay, every time.Duration) *progress {
	p := &progress{w: w, delay: delay, every: every, start: time.Now(), done: make(chan struct{})}
	if w == nil {
		return p
	}
	p.wg.Add(1)
	go p.run()
	return p
}

func (p *progress) run() {
	defer p.wg.Done()
	select {
	case <-time.After(p.delay):
	case <-p.done:
		return
	}
	tick := time.NewTicker(p.every)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-tick.C:
		case <-p.done:
			return
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\x1b[2Kcompatcheck: %s (%.1fs)", p.label, time.Since(p.start).Seconds())
	p.drawn = true
}

// set changes what the line says is being done.
func (p *progress) set(label string) {
	p.mu.Lock()
	p.label = label
	p.mu.Unlock()
}

// stop ends the progress line and erases it if it was drawn.
func (p *progress) stop() {
	if p.w == nil {
		return
	}
	close(p.done)
	p.wg.Wait()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[2K")
	}
}
