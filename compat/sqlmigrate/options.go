package sqlmigrate

// DefaultPGVersion is the PostgreSQL major version assumed when none is given.
const DefaultPGVersion = 16

// Options tunes the migration comparison.
type Options struct {
	// PGVersion is the PostgreSQL major version (11 to 17) whose locking and rewrite
	// behaviour decides the hazards; 0 means DefaultPGVersion.
	PGVersion int
}
