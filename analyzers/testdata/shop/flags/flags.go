// Package flags is a feature-flag client, whose Enabled the tests configure as a rollout
// gate.
package flags

import "context"

// Enabled reports whether a feature is switched on.
func Enabled(ctx context.Context, feature string) bool { return false }

// Client is a feature-flag client with a method gate.
type Client struct{}

// On reports whether a feature is switched on.
func (c *Client) On(feature string) bool { return false }
