package main

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
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
	for _, cmd := range []string{"list", "show", "diff", "live", "browse"} {
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

// TestREADMESamples checks that the README's sample outputs are what the
// commands print on the sample feed, line for line (less the spaces and
// tabs at the ends of lines, which Markdown files do not keep).
func TestREADMESamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		heading string   // the line before the sample
		args    []string // the command, on the sample feed
		head    int      // the sample is the first head lines; 0: all
	}{
		{"`wikifeed list` on the sample (piped, so tab separated; the first line's last two fields are empty):", []string{"list"}, 0},
		{"`wikifeed show --rev 6200 | head` (plain, because piped; the first ten lines):", []string{"show", "--rev", "6200"}, 10},
		{"`wikifeed diff` (plain, with git's word-diff markers):", []string{"diff"}, 0},
	} {
		t.Run(c.args[0], func(t *testing.T) {
			want := readmeBlock(string(readme), c.heading)
			if want == "" {
				t.Fatalf("README has no sample after %q", c.heading)
			}
			code, out, errs := runArgs(t, "", c.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if c.head > 0 && len(lines) > c.head {
				lines = lines[:c.head]
			}
			for i, l := range lines {
				lines[i] = strings.TrimRight(l, " \t")
			}
			if got := strings.Join(lines, "\n"); got != want {
				t.Errorf("README's sample differs from the output:\n--- README\n%s\n--- output\n%s", want, got)
			}
		})
	}
}

// readmeBlock returns the indented block that follows the line heading,
// without its indent and with the ends of lines trimmed.
func readmeBlock(readme, heading string) string {
	i := strings.Index(readme, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := strings.Split(readme[i+len(heading)+2:], "\n")
	var block []string
	for _, l := range rest {
		if l == "" && len(block) == 0 {
			continue
		}
		if l != "" && !strings.HasPrefix(l, "    ") {
			break
		}
		block = append(block, strings.TrimRight(strings.TrimPrefix(l, "    "), " \t"))
	}
	for len(block) > 0 && block[len(block)-1] == "" {
		block = block[:len(block)-1]
	}
	return strings.Join(block, "\n")
}

// TestREADMEJSONKeys checks that the README names every key of list
// --json's model.
func TestREADMEJSONKeys(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[feed.Feed](), reflect.TypeFor[feed.Revision]()} {
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !strings.Contains(string(readme), "`"+name+"`") {
				t.Errorf("README does not name list --json's key %q (%s.%s)", name, typ.Name(), typ.Field(i).Name)
			}
		}
	}
}
