package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// TestDecideOutput is the output rule's case table: every front-end gets
// its colour, style and width from DecideOutput, so these cases hold for
// show, diff, list and the TUI alike.
func TestDecideOutput(t *testing.T) {
	type want struct {
		colour bool
		style  string
		file   string
		ask    bool
		query  bool
		width  int
	}
	cases := []struct {
		name  string
		flags OutputFlags
		tty   bool
		env   map[string]string
		pipe  *PipeWidths // nil: 80 and 80
		want  want
		err   string
	}{
		{name: "piped", want: want{style: "dark", width: 80}},
		{
			name: "terminal", tty: true, env: map[string]string{"COLUMNS": "132"},
			want: want{colour: true, style: "auto", ask: true, query: true, width: 132},
		},
		{
			name: "terminal width from the terminal", tty: true,
			want: want{colour: true, style: "auto", ask: true, query: true, width: 100},
		},
		{
			name: "NO_COLOR on a terminal", tty: true, env: map[string]string{"NO_COLOR": "1"},
			want: want{style: "dark", query: true, width: 100},
		},
		{
			name: "NO_COLOR=0 is still set", tty: true, env: map[string]string{"NO_COLOR": "0"},
			want: want{style: "dark", query: true, width: 100},
		},
		{
			name: "NO_COLOR empty is unset", tty: true, env: map[string]string{"NO_COLOR": ""},
			want: want{colour: true, style: "auto", ask: true, query: true, width: 100},
		},
		{
			name: "NO_COLOR beats CLICOLOR_FORCE", env: map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1"},
			want: want{style: "dark", width: 80},
		},
		{
			name: "CLICOLOR_FORCE piped", env: map[string]string{"CLICOLOR_FORCE": "1"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "CLICOLOR_FORCE=0 forces nothing", env: map[string]string{"CLICOLOR_FORCE": "0"},
			want: want{style: "dark", width: 80},
		},
		{
			name: "FORCE_COLOR piped", env: map[string]string{"FORCE_COLOR": "3"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "FORCE_COLOR=false forces nothing", env: map[string]string{"FORCE_COLOR": "false"},
			want: want{style: "dark", width: 80},
		},
		{
			name: "TERM=dumb: no colour, no query", tty: true, env: map[string]string{"TERM": "dumb"},
			want: want{style: "dark", width: 100},
		},
		{
			name: "TERM=dumb forced: colour, still no query", tty: true, env: map[string]string{"TERM": "dumb", "FORCE_COLOR": "1"},
			want: want{colour: true, style: "dark", width: 100},
		},
		{
			name: "TERM=linux is dark without asking", tty: true, env: map[string]string{"TERM": "linux"},
			want: want{colour: true, style: "dark", query: true, width: 100},
		},
		{
			name: "COLORFGBG light", tty: true, env: map[string]string{"COLORFGBG": "0;15"},
			want: want{colour: true, style: "light", query: true, width: 100},
		},
		{
			name: "COLORFGBG dark", tty: true, env: map[string]string{"COLORFGBG": "15;default;0"},
			want: want{colour: true, style: "dark", query: true, width: 100},
		},
		{
			name: "COLORFGBG unreadable: ask", tty: true, env: map[string]string{"COLORFGBG": "default"},
			want: want{colour: true, style: "auto", ask: true, query: true, width: 100},
		},
		{
			name: "--color always piped", flags: OutputFlags{Color: "always"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--color always beats NO_COLOR", flags: OutputFlags{Color: "always"}, env: map[string]string{"NO_COLOR": "1"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--color never on a terminal", flags: OutputFlags{Color: "never"}, tty: true,
			want: want{style: "dark", query: true, width: 100},
		},
		{
			name: "--format ansi piped", flags: OutputFlags{Format: "ansi"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--format ansi beats NO_COLOR", flags: OutputFlags{Format: "ansi"}, env: map[string]string{"NO_COLOR": "1"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--format ansi beats --color never", flags: OutputFlags{Format: "ansi", Color: "never"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--format plain on a terminal", flags: OutputFlags{Format: "plain"}, tty: true,
			want: want{style: "dark", query: true, width: 100},
		},
		{
			name: "--format plain beats --color always", flags: OutputFlags{Format: "plain", Color: "always"},
			want: want{style: "dark", width: 80},
		},
		{name: "--format unified with --color never", flags: OutputFlags{Format: "unified", Color: "never"}, want: want{style: "dark", width: 80}},
		{
			name: "--format markdown on a terminal", flags: OutputFlags{Format: "markdown"}, tty: true, env: map[string]string{"COLUMNS": "90"},
			want: want{style: "dark", query: true, width: 90},
		},
		{
			name: "--width wins", flags: OutputFlags{Width: 50}, tty: true, env: map[string]string{"COLUMNS": "90"},
			want: want{colour: true, style: "auto", ask: true, query: true, width: 50},
		},
		{
			name: "piped, no wrapping when plain", pipe: &PipeWidths{Colour: 80},
			want: want{style: "dark", width: 0},
		},
		{
			name: "piped, wrapped when coloured", pipe: &PipeWidths{Colour: 80}, flags: OutputFlags{Color: "always"},
			want: want{colour: true, style: "dark", width: 80},
		},
		{
			name: "--width piped", flags: OutputFlags{Width: 50},
			want: want{style: "dark", width: 50},
		},
		{
			name: "--style", flags: OutputFlags{Style: "pink"}, tty: true, env: map[string]string{"GLAMOUR_STYLE": "dracula"},
			want: want{colour: true, style: "pink", query: true, width: 100},
		},
		{
			name: "--style auto", flags: OutputFlags{Style: "auto", ConfigStyle: "light"}, tty: true,
			want: want{colour: true, style: "auto", ask: true, query: true, width: 100},
		},
		{
			name: "config style beats GLAMOUR_STYLE", flags: OutputFlags{ConfigStyle: "light"}, tty: true, env: map[string]string{"GLAMOUR_STYLE": "dracula"},
			want: want{colour: true, style: "light", query: true, width: 100},
		},
		{
			name: "GLAMOUR_STYLE", tty: true, env: map[string]string{"GLAMOUR_STYLE": "dracula"},
			want: want{colour: true, style: "dracula", query: true, width: 100},
		},
		{
			name: "GLAMOUR_STYLE=auto", tty: true, env: map[string]string{"GLAMOUR_STYLE": "auto"},
			want: want{colour: true, style: "auto", ask: true, query: true, width: 100},
		},
		{
			name: "GLAMOUR_STYLE=auto piped", env: map[string]string{"GLAMOUR_STYLE": "auto"},
			want: want{style: "dark", width: 80},
		},
		{
			name: "GLAMOUR_STYLE a file", tty: true, env: map[string]string{"GLAMOUR_STYLE": "/home/u/mine.json"},
			want: want{colour: true, file: "/home/u/mine.json", query: true, width: 100},
		},
		{
			name: "--style a file", flags: OutputFlags{Style: "mine.json"},
			want: want{file: "mine.json", width: 80},
		},
		{name: "unknown GLAMOUR_STYLE", env: map[string]string{"GLAMOUR_STYLE": "neon"}, err: `GLAMOUR_STYLE "neon": want auto, dark`},
		{name: "unknown --style", flags: OutputFlags{Style: "neon"}, err: `--style "neon"`},
		{name: "unknown config style", flags: OutputFlags{ConfigStyle: "neon"}, err: `the config's style "neon"`},
		{name: "bad --color", flags: OutputFlags{Color: "sometimes"}, err: `--color "sometimes": want auto, always or never`},
		{name: "bad --width", flags: OutputFlags{Width: -1}, err: "--width -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			term := Terminal{IsTTY: c.tty, Getenv: func(k string) string { return c.env[k] }}
			if c.tty {
				term.Width = 100
			}
			pipe := PipeWidths{Plain: 80, Colour: 80}
			if c.pipe != nil {
				pipe = *c.pipe
			}
			o, err := DecideOutput(c.flags, term, pipe)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := want{colour: o.Colour, style: o.Style, file: o.StyleFile, ask: o.AskBackground, query: o.Query, width: o.Width}
			if got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestWithBackground(t *testing.T) {
	o := Output{Style: "auto", AskBackground: true}
	if got := o.WithBackground(false); got.Style != "light" || got.AskBackground {
		t.Errorf("light background: %+v", got)
	}
	if got := o.WithBackground(true); got.Style != "dark" {
		t.Errorf("dark background: %+v", got)
	}
	if got := (Output{Style: "pink"}).WithBackground(false); got.Style != "pink" {
		t.Errorf("a named style changed: %+v", got)
	}
}

// TestStyleFile checks that a glamour JSON style file is read and used.
func TestStyleFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "mine.json")
	// A heading in a true colour no built-in style uses.
	if err := os.WriteFile(good, []byte(`{"document":{},"heading":{"color":"#123456"},"h1":{"prefix":"# "}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"heading":`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadStyleFile(good)
	if err != nil || cfg == nil {
		t.Fatalf("LoadStyleFile: %v", err)
	}
	o := Output{Colour: true, StyleFile: good, Width: 60}
	rev := &feed.Revision{Page: "Title", ID: 1, Kind: feed.BodyWikitext, Text: "== Heading ==\ntext\n"}
	out, err := render.Revision(rev, o.RenderOptions(render.ANSI, cfg))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "38;2;18;52;86") {
		t.Errorf("the style file's heading colour is not used:\n%q", out)
	}
	if _, err := LoadStyleFile(bad); err == nil || !strings.Contains(err.Error(), "not a glamour style") {
		t.Errorf("bad file: %v", err)
	}
	if _, err := LoadStyleFile(filepath.Join(dir, "none.json")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if cfg, err := LoadStyleFile(""); cfg != nil || err != nil {
		t.Errorf("no file: %v %v", cfg, err)
	}
}
