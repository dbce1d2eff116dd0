package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
)

func TestParseConfig(t *testing.T) {
	good := `# wikifeed
style = "light"
sources = ["a.atom", "https://wiki.test/feed"]
watch = "5m"

[keys]
down = ["j", "ctrl+n"]
quit = ["Q"]
`
	cfg, err := ParseConfig(good, "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Style != "light" || cfg.Watch != 5*time.Minute || len(cfg.Sources) != 2 || cfg.Keys["quit"][0] != "Q" {
		t.Fatalf("parsed %+v", cfg)
	}
	bad := []struct{ name, text, want string }{
		{"syntax", "style = \"dark\"\nwatch = \n", "config.toml:2: "},
		{"unknown setting", "style = \"dark\"\n\ncolour = \"red\"\n", "config.toml:3: colour: unknown setting"},
		{"bad style", "\nstyle = \"neon\"\n", "config.toml:2: style: unknown style \"neon\""},
		{"bad watch", "watch = \"soon\"\n", "config.toml:1: watch: bad duration \"soon\""},
		{"watch too short", "watch = \"1s\"\n", "config.toml:1: watch: 1s is too often"},
		{"unknown action", "[keys]\nfly = [\"f\"]\n", "config.toml:2: fly: unknown key action \"fly\""},
		{"no keys", "[keys]\n\nquit = []\n", "config.toml:3: quit: key action \"quit\" has no keys"},
		{"wrong type", "style = 3\n", "config.toml"},
		{"empty source", "sources = [\"\"]\n", "config.toml:1: sources: source 1 is empty"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(tc.text, "config.toml")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to hold %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is more than one line: %q", err)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadConfig(filepath.Join(dir, "none.toml"), false); err != nil {
		t.Fatalf("a missing default config is an error: %v", err)
	}
	if _, err := LoadConfig(filepath.Join(dir, "none.toml"), true); err == nil {
		t.Fatal("a missing --config file is no error")
	}
	p := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(p, []byte("watch = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(p, true); err == nil || !strings.Contains(err.Error(), p+":1:") {
		t.Fatalf("error %v does not name the file and line", err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}
	if got := DefaultConfigPath(func(k string) string { return env[k] }); got != "/x/wikifeed/config.toml" {
		t.Fatal(got)
	}
	delete(env, "XDG_CONFIG_HOME")
	if got := DefaultConfigPath(func(k string) string { return env[k] }); got != "/h/.config/wikifeed/config.toml" {
		t.Fatal(got)
	}
}

func TestRemappedKeys(t *testing.T) {
	cfg, err := ParseConfig("[keys]\ndown = [\"ctrl+n\"]\nhelp = [\"h\"]\n", "c.toml")
	if err != nil {
		t.Fatal(err)
	}
	km := DefaultKeyMap()
	if err := km.Remap(cfg.Keys); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(keyMsg("ctrl+n"), km.Down) || key.Matches(keyMsg("j"), km.Down) {
		t.Fatal("down was not remapped")
	}
	if km.Down.Help().Key != "ctrl+n" {
		t.Fatalf("help shows %q for down", km.Down.Help().Key)
	}
	// The UI uses the remapped keys, and its help says so.
	hs := sampleHarness(t, 120, 30)
	hs.m.sh.keys = km
	hs.keys("ctrl+n")
	if hs.m.list.cursor != 1 {
		t.Fatal("ctrl+n did not move down")
	}
	hs.keys("h")
	hs.contains("ctrl+n", "down")
}

func TestRenderCache(t *testing.T) {
	c := newRenderCache(3, 1000)
	k := func(i int) contentKey { return contentKey{rev: "r", width: i} }
	for i := range 5 {
		c.put(k(i), contentResult{text: "x"})
	}
	if c.len() != 3 {
		t.Fatalf("%d entries, want 3", c.len())
	}
	if _, ok := c.get(k(0)); ok {
		t.Fatal("the oldest entry was kept")
	}
	c.get(k(2)) // 2 is now the most recent; 3 the least
	c.put(k(9), contentResult{text: "y"})
	if _, ok := c.get(k(3)); ok {
		t.Fatal("the least recently used entry was kept")
	}
	if _, ok := c.get(k(2)); !ok {
		t.Fatal("a recently used entry was evicted")
	}
	c.put(k(10), contentResult{text: strings.Repeat("z", 900)})
	if c.bytes > 1000 {
		t.Fatalf("cache holds %d bytes, more than its bound", c.bytes)
	}
	c.put(k(11), contentResult{text: strings.Repeat("z", 5000)})
	if _, ok := c.get(k(11)); ok {
		t.Fatal("an entry larger than the bound was kept")
	}
}
