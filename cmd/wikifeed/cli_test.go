package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCommandLine checks the command tree: mistyped commands, help topics,
// bad values and the generated outputs (version, completions, man page).
func TestCommandLine(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		outHas []string
		errHas []string
		// errLines is the number of stderr lines; -1: do not check.
		errLines int
	}{
		{
			name: "mistyped command", args: []string{"lsit"}, code: 2, errLines: 2,
			errHas: []string{`wikifeed: unknown command "lsit"; did you mean list?`, "wikifeed help browse"},
		},
		{
			name: "mistyped command with flags", args: []string{"shwo", "--rev", "1"}, code: 2, errLines: 2,
			errHas: []string{"did you mean show?"},
		},
		{
			name: "help for a command", args: []string{"help", "diff"}, code: 0, errLines: 0,
			outHas: []string{"wikifeed diff [SOURCE...]", "--context"},
		},
		{
			name: "help browse", args: []string{"help", "browse"}, code: 0, errLines: 0,
			outHas: []string{"Config file:", "Key actions for [keys]:", "--watch"},
		},
		{
			name: "help with no topic", args: []string{"help"}, code: 0, errLines: 0,
			outHas: []string{"COMMANDS", "list [SOURCE...]", "show [SOURCE...]", "diff [SOURCE...]"},
		},
		{
			name: "help for nothing", args: []string{"help", "bogus"}, code: 2, errLines: 2,
			errHas: []string{`wikifeed help: no help for "bogus"`, "wikifeed --help"},
		},
		{name: "help for a typo", args: []string{"help", "lsit"}, code: 2, errHas: []string{"did you mean list?"}},
		{name: "root help", args: []string{"--help"}, code: 0, errLines: 0, outHas: []string{"USAGE", "wikifeed [command] [SOURCE...]"}},
		{name: "short help", args: []string{"list", "-h"}, code: 0, errLines: 0, outHas: []string{"wikifeed list [SOURCE...]"}},
		{
			name: "entry 0", args: []string{"show", "--entry", "0", sampleFeed}, code: 2, errLines: 2,
			errHas: []string{"wikifeed show: --entry 0: want 1 or more", "wikifeed show --help"},
		},
		{name: "entry -1", args: []string{"show", "--entry", "-1", sampleFeed}, code: 2, errHas: []string{"--entry -1"}},
		{name: "entry not a number", args: []string{"show", "-e", "x", sampleFeed}, code: 2, errLines: 2, errHas: []string{`invalid argument "x"`}},
		{name: "rev 0", args: []string{"show", "--rev", "0", sampleFeed}, code: 2, errHas: []string{"--rev 0: want a revision ID"}},
		{
			name: "short flags", args: []string{"show", "-e", "2", "-w", "40", "-f", "plain", sampleFeed}, code: 0,
			outHas: []string{"revision 6200"},
		},
		{
			name: "unknown flag of the TUI", args: []string{"--bogus"}, code: 2, errLines: 2,
			errHas: []string{"wikifeed: unknown flag: --bogus", "wikifeed help browse"},
		},
		{name: "flag needs a value", args: []string{"list", "--timeout"}, code: 2, errHas: []string{"flag needs an argument"}},
		{name: "version", args: []string{"--version"}, code: 0, errLines: 0, outHas: []string{"wikifeed " + version + "\n"}},
		{name: "version short", args: []string{"-v"}, code: 0, outHas: []string{"wikifeed " + version + "\n"}},
		{name: "version command", args: []string{"version"}, code: 0, outHas: []string{"wikifeed " + version + "\n"}},
		{name: "completion bash", args: []string{"completion", "bash"}, code: 0, errLines: 0, outHas: []string{"__start_wikifeed"}},
		{name: "completion zsh", args: []string{"completion", "zsh"}, code: 0, errLines: 0, outHas: []string{"#compdef wikifeed"}},
		{name: "completion fish", args: []string{"completion", "fish"}, code: 0, errLines: 0, outHas: []string{"complete -c wikifeed"}},
		{
			name: "completion of a flag value", args: []string{"__complete", "show", "--format", ""}, code: 0, errLines: -1,
			outHas: []string{"ansi\n", "markdown\n"},
		},
		{name: "completion of a command", args: []string{"__complete", "li"}, code: 0, errLines: -1, outHas: []string{"list\t"}},
		{
			name: "man", args: []string{"man"}, code: 0, errLines: 0,
			outHas: []string{".TH WIKIFEED 1", ".SH SYNOPSIS", `\fB\-c\fR, \fB\-\-config\fR \fIFILE\fR`, ".SS wikifeed list", ".SH EXIT STATUS"},
		},
		{name: "man takes no argument", args: []string{"man", "x"}, code: 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runArgs(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, c.code, errs)
			}
			for _, s := range c.outHas {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.errHas {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
			if c.errLines > 0 || c.errLines == 0 && c.code == 0 {
				if n := strings.Count(errs, "\n"); n != c.errLines {
					t.Errorf("%d stderr lines, want %d:\n%s", n, c.errLines, errs)
				}
			}
			if strings.Contains(out, " \n") {
				t.Errorf("stdout has a line that ends in a space:\n%q", out)
			}
		})
	}
}

// TestFileNamedLikeACommand checks that a file that is there is read as a
// source even when its name is near a command's.
func TestFileNamedLikeACommand(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lsit"), sample, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errs := runArgs(t, "", "lsit")
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestManPageMacros checks that every request line of the man page is one
// that man(7) knows, so that man -l - shows it all.
func TestManPageMacros(t *testing.T) {
	_, out, _ := runArgs(t, "", "man")
	known := map[string]bool{".TH": true, ".SH": true, ".SS": true, ".PP": true, ".TP": true, ".RS": true, ".RE": true, ".nf": true, ".fi": true, ".br": true}
	for i, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, ".") && !strings.HasPrefix(l, "'") {
			continue
		}
		if m, _, _ := strings.Cut(l, " "); !known[m] {
			t.Errorf("line %d: unknown request %q", i+1, l)
		}
	}
	if regexp.MustCompile(`(?m)^[^.\\]*[^\\]-`).MatchString(strings.ReplaceAll(out, `\-`, "")) {
		t.Errorf("a minus sign is not escaped as \\-")
	}
}

func TestVersion(t *testing.T) {
	const rev = "f39b0f1abcde0123456789f39b0f1abcde012345"
	settings := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		name string
		ld   string
		info *debug.BuildInfo
		want string
	}{
		{"no build information", "", nil, "wikifeed 0.1.0-dev"},
		{"go test, go run", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "wikifeed 0.1.0-dev"},
		{"go install of a release", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "wikifeed v1.2.3"},
		{
			"go build in a checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201224501-f39b0f1abcde+dirty"}, Settings: settings("true")},
			"wikifeed v0.0.0-20261201224501-f39b0f1abcde+dirty",
		},
		{
			"a revision the version does not carry", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: settings("true")},
			"wikifeed 0.1.0-dev (revision " + rev + ", modified)",
		},
		{
			"set by the linker", "2.0.0", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: settings("false")},
			"wikifeed 2.0.0 (revision " + rev + ")",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := versionLine(versionOf(c.ld, c.info)); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestTrimWriter(t *testing.T) {
	var b strings.Builder
	w := &trimWriter{w: &b}
	for _, p := range []string{"a  ", " \nb", " c   ", "\n", "  ", "d ", " "} {
		w.Write([]byte(p))
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "a\nb c\n  d  "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
