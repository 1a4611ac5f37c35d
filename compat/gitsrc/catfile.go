package gitsrc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/compatcheck/compatcheck/compat"
)

// errMissing is what the batch process answers for a name that resolves to no object.
var errMissing = errors.New("missing")

// catFile is one running `git cat-file --batch` (or --batch-check) process. It answers one
// request at a time; the caller serializes access.
type catFile struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	in     *bufio.Writer
	out    *bufio.Reader
	stderr *limitedBuffer
	check  bool // --batch-check: headers only
}

// startCatFile starts the process in the repository's top directory.
func startCatFile(top string, check bool) (*catFile, error) {
	mode := "--batch"
	if check {
		mode = "--batch-check"
	}
	cmd := exec.Command("git", "-C", top, "cat-file", mode)
	cmd.Env = gitEnv()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &catFile{cmd: cmd, stdin: stdin, in: bufio.NewWriter(stdin), out: bufio.NewReaderSize(stdout, 64<<10), stderr: &limitedBuffer{max: 4096}, check: check}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, gitStartError(err)
	}
	return c, nil
}

// object is one answer of the batch process.
type object struct {
	id   string
	typ  string
	size int64
	data []byte // nil for --batch-check; at most compat.MaxFileSize+1 bytes
}

// get asks for one object by name (an object ID, or any revision expression git accepts).
// Contents beyond compat.MaxFileSize are read and discarded, so that the engines' size
// limit refuses the file without the whole of it being held in memory.
func (c *catFile) get(name string) (object, error) {
	if strings.ContainsAny(name, "\n\x00") {
		return object{}, fmt.Errorf("object name %q holds a newline", name)
	}
	if _, err := c.in.WriteString(name + "\n"); err != nil {
		return object{}, c.died(err)
	}
	if err := c.in.Flush(); err != nil {
		return object{}, c.died(err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return object{}, c.died(err)
	}
	header = strings.TrimSuffix(header, "\n")
	fields := strings.Fields(header)
	if len(fields) == 2 && (fields[1] == "missing" || fields[1] == "ambiguous") {
		if fields[1] == "ambiguous" {
			return object{}, fmt.Errorf("%s is ambiguous: name the object by its full ID", name)
		}
		return object{}, errMissing
	}
	if len(fields) != 3 {
		return object{}, fmt.Errorf("git cat-file answered %q (internal error, please report)", header)
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return object{}, fmt.Errorf("git cat-file answered %q (internal error, please report)", header)
	}
	obj := object{id: fields[0], typ: fields[1], size: size}
	if c.check {
		return obj, nil
	}
	keep := size
	if keep > compat.MaxFileSize+1 {
		keep = compat.MaxFileSize + 1
	}
	obj.data = make([]byte, keep)
	if _, err := io.ReadFull(c.out, obj.data); err != nil {
		return object{}, c.died(err)
	}
	if rest := size - keep; rest > 0 {
		if _, err := io.CopyN(io.Discard, c.out, rest); err != nil {
			return object{}, c.died(err)
		}
	}
	if b, err := c.out.ReadByte(); err != nil || b != '\n' {
		return object{}, c.died(fmt.Errorf("no newline after object %s", obj.id))
	}
	return obj, nil
}

// died turns a broken pipe into an error that says what git printed before it exited.
func (c *catFile) died(err error) error {
	msg := strings.TrimSpace(c.stderr.String())
	if msg == "" {
		msg = err.Error()
	}
	return fmt.Errorf("git cat-file stopped: %s", msg)
}

// close ends the process by closing its input, which makes it exit normally.
func (c *catFile) close() error {
	c.stdin.Close()
	err := c.cmd.Wait()
	if err != nil && c.stderr.Len() > 0 {
		return fmt.Errorf("git cat-file: %s", strings.TrimSpace(c.stderr.String()))
	}
	return nil
}

// limitedBuffer keeps the first max bytes written to it: enough of git's stderr to explain
// a failure, never an unbounded amount.
type limitedBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.max - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *limitedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}
