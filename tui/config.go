package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/internal/bounded"
	"github.com/wikifeed/wikifeed/render"
)

// Config is the user's config file. Every field is optional; the file is
// TOML:
//
//	style = "light"          # "auto" (default), "dark", "light", "notty", "ascii"
//	sources = ["https://en.wikipedia.org/w/index.php?title=Special:RecentChanges&feed=atom"]
//	watch = "5m"             # reload interval; "0" or absent: no reload
//
//	[keys]                   # action = [keys...]; see KeyMap.Actions
//	down = ["j", "down", "ctrl+n"]
//	quit = ["q", "Q"]
type Config struct {
	// Style is the render style; "" means "auto".
	Style string
	// Sources are opened when the command line names none.
	Sources []string
	// Watch is the reload interval; 0 means no automatic reload.
	Watch time.Duration
	// Keys remaps actions to keys, applied over DefaultKeyMap.
	Keys map[string][]string
	// Path is the file the config was read from, "" if none.
	Path string
}

// rawConfig is the file's shape before validation.
type rawConfig struct {
	Style   string              `toml:"style"`
	Sources []string            `toml:"sources"`
	Watch   string              `toml:"watch"`
	Keys    map[string][]string `toml:"keys"`
}

// CheckStyle reports whether name is a style the UI can use: "auto"
// (light or dark, as the terminal's background is) or one of render's.
func CheckStyle(name string) error {
	if name == "auto" || render.ValidStyle(name) {
		return nil
	}
	return fmt.Errorf("unknown style %q (want auto, dark, light, notty, ascii, dracula, pink or tokyo-night)", name)
}

// DefaultConfigPath returns where the config file lives:
// $XDG_CONFIG_HOME/wikifeed/config.toml, else ~/.config/wikifeed/config.toml;
// "" when neither variable is set. getenv reads the environment.
func DefaultConfigPath(getenv func(string) string) string {
	return app.PathsFrom(getenv).ConfigFile()
}

// maxConfigBytes caps the config file, in bytes.
const maxConfigBytes = 1 << 20

// LoadConfig reads the config file at path. When required is false a
// missing file is no error and gives the zero Config. Errors name the file
// and, when it is known, the line: "config.toml:3: watch: bad duration".
func LoadConfig(path string, required bool) (Config, error) {
	if path == "" {
		return Config{}, nil
	}
	data, err := bounded.ReadFile(path, maxConfigBytes)
	if err != nil {
		if !required && errors.Is(err, fs.ErrNotExist) {
			return Config{}, nil
		}
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return ParseConfig(string(data), path)
}

// ParseConfig parses the text of a config file; name is used in errors.
func ParseConfig(text, name string) (Config, error) {
	var raw rawConfig
	md, err := toml.Decode(text, &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Config{}, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, oneLine(pe.Message))
		}
		return Config{}, fmt.Errorf("%s: %s", name, oneLine(strings.TrimPrefix(err.Error(), "toml: ")))
	}
	// Keys and values come from the file: errors show them on one line,
	// made safe.
	bad := func(key, format string, args ...any) error {
		msg := oneLine(key + ": " + fmt.Sprintf(format, args...))
		if n := keyLine(text, key); n > 0 {
			return fmt.Errorf("%s:%d: %s", name, n, msg)
		}
		return fmt.Errorf("%s: %s", name, msg)
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		return Config{}, bad(k[len(k)-1], "unknown setting %q", k.String())
	}
	cfg := Config{Style: raw.Style, Sources: raw.Sources, Keys: raw.Keys, Path: name}
	if cfg.Style != "" {
		if err := CheckStyle(cfg.Style); err != nil {
			return Config{}, bad("style", "%s", err)
		}
	}
	if raw.Watch != "" && raw.Watch != "0" {
		d, err := time.ParseDuration(raw.Watch)
		if err != nil || d < 0 {
			return Config{}, bad("watch", "bad duration %q (write it like \"30s\" or \"5m\")", raw.Watch)
		}
		if d > 0 && d < MinWatch {
			return Config{}, bad("watch", "%s is too often; the least is %s", d, MinWatch)
		}
		cfg.Watch = d
	}
	for i, s := range cfg.Sources {
		if strings.TrimSpace(s) == "" {
			return Config{}, bad("sources", "source %d is empty", i+1)
		}
	}
	km := DefaultKeyMap()
	if err := km.Remap(cfg.Keys); err != nil {
		for action := range cfg.Keys {
			if strings.Contains(err.Error(), fmt.Sprintf("%q", action)) {
				return Config{}, bad(action, "%s", err)
			}
		}
		return Config{}, bad("keys", "%s", err)
	}
	return cfg, nil
}

// keyLine returns the 1-based line where key is set ("key = ..."), or 0.
func keyLine(text, key string) int {
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(l, key); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
		if l == "["+key+"]" {
			return i + 1
		}
	}
	return 0
}
