package main

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/render"
)

func TestShow(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		outHas []string // each must be in stdout
		errHas []string // each must be in stderr
		not    []string // none may be in stdout
	}{
		{
			name: "newest of the sample", args: []string{"show"}, code: 0,
			outHas: []string{"Containers/Mini-summit 2008 notes", "Dlezcano", "revision 6226", "Intros (8:36am)"},
			errHas: []string{"sample feed"}, not: []string{"\x1b", "&lt;br"},
		},
		{
			name: "by revision", args: []string{"show", sampleFeed, "--rev", "6200"}, code: 0,
			outHas: []string{"revision 6200", "+51 bytes", "§ Agenda", "When: 22nd of July 2008\n", "Where: Ottawa"}, not: []string{"'''", "[["},
		},
		{name: "by entry", args: []string{"show", "--entry", "2", sampleFeed}, code: 0, outHas: []string{"revision 6200"}},
		{name: "by page", args: []string{"show", sampleFeed, "--page", "Containers/Mini-summit 2008"}, code: 0, outHas: []string{"revision 6200"}},
		{
			name: "markdown", args: []string{"show", sampleFeed, "--rev", "6200", "--format", "markdown"}, code: 0,
			outHas: []string{"# Containers/Mini-summit 2008\n", "**When**", "## Proposal", "[OLS'08](<http://www.linuxsymposium.org/2008/>)"},
		},
		{
			name: "source", args: []string{"show", sampleFeed, "--rev", "6200", "--format", "source"}, code: 0,
			outHas: []string{"'''When''': 22nd of July 2008<br/>", "== Proposal =="},
		},
		{name: "colour when asked", args: []string{"show", sampleFeed, "--color", "always"}, code: 0, outHas: []string{"\x1b["}},
		{name: "diff table entry", args: []string{"show", x3Feed, "--rev", "978"}, code: 0, outHas: []string{"Truelight Seeker"}},
		{name: "missing revision", args: []string{"show", sampleFeed, "--rev", "1"}, code: 1, errHas: []string{"no revision 1", "wikifeed list"}},
		{name: "missing page", args: []string{"show", sampleFeed, "--page", "Nope"}, code: 1, errHas: []string{`no page "Nope"`, "wikifeed list"}},
		{name: "entry out of range", args: []string{"show", sampleFeed, "--entry", "99"}, code: 1, errHas: []string{"no entry 99", "has 6"}},
		{name: "empty feed", args: []string{"show", emptyFeed}, code: 1, errHas: []string{"no entries"}},
		{name: "bad format", args: []string{"show", "--format", "html"}, code: 2, errHas: []string{"--format"}},
		{name: "bad colour", args: []string{"show", "--color", "sometimes"}, code: 2, errHas: []string{"--color"}},
		{name: "bad style", args: []string{"show", "--style", "neon"}, code: 2, errHas: []string{`--style "neon"`}},
		{name: "bad flag", args: []string{"show", "--bogus"}, code: 2},
		{name: "missing file", args: []string{"show", "nope.atom"}, code: 1, errHas: []string{"nope.atom"}},
		{name: "help", args: []string{"show", "--help"}, code: 0, outHas: []string{"wikifeed show [SOURCE...]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			for _, s := range tc.outHas {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.errHas {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(out, s) {
					t.Errorf("stdout has %q:\n%s", s, out)
				}
			}
			if tc.code != 0 && strings.Count(strings.TrimSpace(errOut), "\n") > 1 && !strings.Contains(strings.Join(tc.args, " "), "--") {
				t.Errorf("more than one line of error:\n%s", errOut)
			}
		})
	}
}

// TestShowWidth checks --width: no line is wider, but for one that is a
// single unbreakable word.
func TestShowWidth(t *testing.T) {
	code, out, _ := runArgs(t, "", "show", sampleFeed, "--rev", "6200", "--width", "40")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 40 && len(strings.Fields(l)) > 1 {
			t.Errorf("line wider than 40: %q", l)
		}
	}
}

// TestShowNoColor checks that NO_COLOR with any value turns colour off on
// a terminal, and that --format ansi, a flag, overrides it.
func TestShowNoColor(t *testing.T) {
	noColor := map[string]string{"NO_COLOR": "yes please"}
	code, out, _ := runTTY(t, 80, noColor, "show", sampleFeed)
	if code != 0 || strings.Contains(out, "\x1b") {
		t.Errorf("exit %d; escape codes with NO_COLOR set: %q", code, out[:min(len(out), 80)])
	}
	code, out, _ = runTTY(t, 80, noColor, "show", sampleFeed, "--format", "ansi")
	if code != 0 || !strings.Contains(out, "\x1b[") {
		t.Errorf("exit %d; no colour with --format ansi: %q", code, out[:min(len(out), 80)])
	}
}

// TestShowHostile checks that a hostile feed's escapes never reach stdout
// in any format.
func TestShowHostile(t *testing.T) {
	feed := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="html">t&amp;#x1b;]0;pwned&amp;#x7;</title>
<entry><id>https://w.example/index.php?title=P&amp;diff=2</id><title type="html">Page &amp;#x1b;[2J &amp;#x202e;</title>
<link href="https://w.example/index.php?title=P&amp;diff=2"/><updated>2020-01-01T00:00:00Z</updated>
<author><name>Evil&#x9b;2J</name></author>
<summary type="html">&lt;p&gt;comment &amp;#x1b;]52;c;eA==&amp;#x7;&lt;/p&gt;&lt;hr /&gt;&lt;div&gt;text &amp;#x1b;[31m red [javascript:alert(1) js]&lt;/div&gt;</summary></entry></feed>`
	for _, format := range []string{"ansi", "plain", "markdown", "source"} {
		code, out, errOut := runArgs(t, feed, "show", "-", "--format", format, "--color", "always")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, bad := range []string{"\x1b[2J", "\x1b]0", "\x1b]52", "\x9b", "\u009b", "\x07", "\u202e", "](<javascript"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s: %q reaches stdout:\n%q", format, bad, out)
			}
		}
	}
}

// TestShowOptions checks how flags, the environment and the terminal turn
// into render options: format, colour, style (with the background the
// terminal reports) and width.
func TestShowOptions(t *testing.T) {
	cases := []struct {
		name       string
		cfg        showConfig
		tty, dark  bool
		env        map[string]string
		format     render.Format
		style      string
		width      int
		askedForBG bool
	}{
		{name: "piped", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, format: render.Plain, style: "dark", width: 80},
		{name: "terminal dark", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, dark: true, env: map[string]string{"COLUMNS": "132"}, format: render.ANSI, style: "dark", width: 132, askedForBG: true},
		{name: "terminal light", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"COLUMNS": "90"}, format: render.ANSI, style: "light", width: 90, askedForBG: true},
		{name: "terminal NO_COLOR", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"NO_COLOR": "0", "COLUMNS": "90"}, format: render.Plain, style: "dark", width: 90},
		{name: "GLAMOUR_STYLE wins over the background", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"GLAMOUR_STYLE": "dracula", "COLUMNS": "90"}, format: render.ANSI, style: "dracula", width: 90},
		{name: "--style wins over GLAMOUR_STYLE", cfg: showConfig{outputFlags: outputFlags{color: "auto", style: "pink"}}, tty: true, env: map[string]string{"GLAMOUR_STYLE": "dracula", "COLUMNS": "90"}, format: render.ANSI, style: "pink", width: 90},
		{name: "--color always piped", cfg: showConfig{outputFlags: outputFlags{color: "always"}}, format: render.ANSI, style: "dark", width: 80},
		{name: "--color never on a terminal", cfg: showConfig{outputFlags: outputFlags{color: "never", width: 50}}, tty: true, format: render.Plain, style: "dark", width: 50},
		{name: "--format ansi with NO_COLOR", cfg: showConfig{format: "ansi", outputFlags: outputFlags{color: "auto"}}, env: map[string]string{"NO_COLOR": "1"}, format: render.ANSI, style: "dark", width: 80},
		{name: "TERM=dumb", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"TERM": "dumb", "COLUMNS": "90"}, format: render.Plain, style: "dark", width: 90},
		{name: "TERM=linux", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"TERM": "linux", "COLUMNS": "90"}, format: render.ANSI, style: "dark", width: 90},
		{name: "CLICOLOR_FORCE piped", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, env: map[string]string{"CLICOLOR_FORCE": "1"}, format: render.ANSI, style: "dark", width: 80},
		{name: "GLAMOUR_STYLE=auto", cfg: showConfig{outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"GLAMOUR_STYLE": "auto", "COLUMNS": "90"}, format: render.ANSI, style: "light", width: 90, askedForBG: true},
		{name: "--format markdown on a terminal", cfg: showConfig{format: "markdown", outputFlags: outputFlags{color: "auto"}}, tty: true, env: map[string]string{"COLUMNS": "90"}, format: render.Markdown, style: "dark", width: 90},
	}
	saved := hasDarkBackground
	defer func() { hasDarkBackground = saved }()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			asked := false
			hasDarkBackground = func(*env) bool { asked = true; return tc.dark }
			e := &env{stdoutTTY: tc.tty, getenv: func(k string) string { return tc.env[k] }}
			opts, err := tc.cfg.options(e)
			if err != nil {
				t.Fatal(err)
			}
			if opts.Format != tc.format || opts.Style != tc.style || opts.Width != tc.width {
				t.Errorf("got format %d style %q width %d, want %d %q %d", opts.Format, opts.Style, opts.Width, tc.format, tc.style, tc.width)
			}
			if asked != tc.askedForBG {
				t.Errorf("asked the terminal for its background: %v, want %v", asked, tc.askedForBG)
			}
		})
	}
}
