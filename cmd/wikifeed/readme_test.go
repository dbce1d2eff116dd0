package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEDocumentsEveryFlag reads each command's --help and checks that
// the README names every flag it lists, and shows the two set-up commands.
func TestREADMEDocumentsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go run ./cmd/wikifeed", "go test ./..."} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q", want)
		}
	}
	flagLine := regexp.MustCompile(`(?m)^ +(?:-[a-zA-Z] )?--([a-z-]+)`)
	for _, cmd := range []string{"list", "show", "diff", "browse"} {
		args := []string{cmd, "--help"}
		if cmd == "browse" {
			args = []string{"help", "browse"}
		}
		code, out, errOut := runArgs(t, "", args...)
		if code != 0 {
			t.Fatalf("%s --help: exit %d: %s", cmd, code, errOut)
		}
		flags := flagLine.FindAllStringSubmatch(out+errOut, -1)
		if len(flags) == 0 {
			t.Fatalf("%s --help lists no flags", cmd)
		}
		for _, m := range flags {
			if !strings.Contains(string(readme), "`--"+m[1]) {
				t.Errorf("README does not document %s --%s", cmd, m[1])
			}
		}
	}
}
