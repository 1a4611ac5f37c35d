package gitsrc_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
)

// A version at a tag is read without a checkout: the working tree can hold anything.
func ExampleRepo_Source() {
	dir, _ := os.MkdirTemp("", "gitsrc-example")
	defer os.RemoveAll(dir)
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = gittest.Env(gittest.Epoch)
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Println(err, string(out))
		}
	}
	git("init", "-q")
	os.MkdirAll(dir+"/proto", 0o755)
	os.WriteFile(dir+"/proto/a.proto", []byte("syntax = \"proto3\";\n"), 0o644)
	git("add", "-A")
	git("commit", "-q", "-m", "first")
	git("tag", "-a", "-m", "release", "v1.0.0")
	os.WriteFile(dir+"/proto/a.proto", []byte("edited, not committed\n"), 0o644)

	ctx := context.Background()
	repo, err := gitsrc.Open(ctx, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer repo.Close()
	commit, err := repo.Resolve(ctx, "v1.0.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	src, _, err := repo.Source(commit, "proto", "v1.0.0", "proto")
	if err != nil {
		fmt.Println(err)
		return
	}
	files, _ := src.Files(".proto")
	data, _ := src.ReadFile(files[0])
	fmt.Printf("%s %s: %q\n", src.Name, files[0], data)
	// Output: v1.0.0:proto a.proto: "syntax = \"proto3\";\n"
}
