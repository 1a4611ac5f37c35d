// Package status is a stub of google.golang.org/grpc/status.
package status

import (
	"fmt"

	"google.golang.org/grpc/codes"
)

func Errorf(c codes.Code, format string, a ...any) error { return fmt.Errorf(format, a...) }
