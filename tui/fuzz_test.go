package tui

import (
	"strings"
	"testing"
)

// FuzzParseConfig checks that any config text gives a config or a
// one-line error naming the file, and never panics.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"style = \"light\"\nsources = [\"a.atom\", \"https://wiki.test/feed\"]\nwatch = \"5m\"\n\n[keys]\ndown = [\"j\", \"ctrl+n\"]\nquit = [\"Q\"]\n",
		"watch = \"0\"\n", "[keys]\nfly = [\"f\"]\n", "style = 3\n", "sources = [\"\"]\n", "watch = \"1s\"", "[keys]\nquit = []\n",
		"style = \"dark\"\n[keys]\nhelp = [\"h\", \"?\"]\nreload = [\"ctrl+r\"]\n", "=\n", "[[keys]]\n", "keys = 1\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, err := ParseConfig(text, "config.toml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "config.toml") {
				t.Fatalf("error does not name the file: %q", err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if cfg.Watch < 0 || (cfg.Watch > 0 && cfg.Watch < MinWatch) {
			t.Fatalf("accepted watch %v", cfg.Watch)
		}
		km := DefaultKeyMap()
		if err := km.Remap(cfg.Keys); err != nil {
			t.Fatalf("accepted keys that do not remap: %v", err)
		}
	})
}
