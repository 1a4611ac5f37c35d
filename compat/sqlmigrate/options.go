package sqlmigrate

// DefaultPGVersion is the PostgreSQL major version assumed when none is given.
const DefaultPGVersion = 16

// MinPGVersion and MaxPGVersion bound the PostgreSQL major versions whose locking and
// rewrite behaviour the lock table describes.
const (
	MinPGVersion = 10
	MaxPGVersion = 17
)

// Options tunes the migration comparison.
type Options struct {
	// PGVersion is the PostgreSQL major version (10 to 17) whose locking and rewrite
	// behaviour decides the hazards; 0 means DefaultPGVersion.
	PGVersion int
}
