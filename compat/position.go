package compat

import (
	"fmt"
	"io/fs"
	"path"
)

// Position locates an element in one version of a contract. File is slash-separated and
// relative to the root of its [Source]; Line and Column are 1-based, and 0 when unknown.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// String formats the position as file:line:column, leaving out what is unknown.
func (p Position) String() string {
	switch {
	case p.Line <= 0:
		return p.File
	case p.Column <= 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
}

// Pos is a convenience constructor for a *Position, the form findings use for optional
// sides.
func Pos(file string, line, column int) *Position {
	return &Position{File: file, Line: line, Column: column}
}

// Error is a problem with the user's input, located where it is. Engines return it for
// syntax errors, unresolvable references and the like; the CLI prints it as
// "file:line:col: message" and exits with status 2. Its File is the path the user would
// open (it includes the Source's Name), unlike the paths inside findings.
type Error struct {
	Pos Position
	Msg string
}

// Error formats the error as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Errorf returns an *Error at file:line:col of src (file relative to src's root).
func (s Source) Errorf(file string, line, col int, format string, args ...any) error {
	return &Error{Pos: Position{File: s.DisplayPath(file), Line: line, Column: col}, Msg: fmt.Sprintf(format, args...)}
}

// DisplayPath turns a path relative to the source's root into the path a user would
// type, by joining it to the source's Name.
func (s Source) DisplayPath(file string) string {
	if s.Name == "" {
		return file
	}
	if file == "" || file == "." {
		return s.Name
	}
	if !fs.ValidPath(file) {
		// Keep an escaping path as written, so the message shows what was refused.
		return s.Name + "/" + file
	}
	return path.Join(s.Name, file)
}
