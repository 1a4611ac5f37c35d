// Package scripttest prepares testscript environments whose scripts run the go command.
package scripttest

import (
	"os/exec"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// HostGo gives a script the host's Go installation and its build and module caches,
// with no network (GOPROXY=off) and no toolchain switch, so that scripts which run the go
// command on a throwaway module are fast and work offline.
func HostGo(env *testscript.Env) error {
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOROOT"} {
		out, err := exec.Command("go", "env", v).Output()
		if err != nil {
			return err
		}
		env.Setenv(v, strings.TrimSpace(string(out)))
	}
	env.Setenv("GOPROXY", "off")
	env.Setenv("GOTOOLCHAIN", "local")
	env.Setenv("GOFLAGS", "-mod=mod")
	return nil
}
