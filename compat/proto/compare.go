package proto

import (
	"context"
	"errors"

	"github.com/compatcheck/compatcheck/compat"
)

// Compare compares two versions of a contract. SCAFFOLD: replaced by the engine's real
// implementation before this package is called done.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (*compat.Report, error) {
	return nil, errors.New("proto engine: not implemented yet")
}
