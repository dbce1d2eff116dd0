package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
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
//	group = "time"           # the list: "page" (default, grouped by page) or "time" (flat)
//	skip_headers = true      # j/k move between revisions only, over page rows
//	list_width = "40%"       # the list pane beside the content: a share, or columns (60)
//	list_max_width = 100     # at most this many columns (default 100)
//	store = false            # never touch the store, as --no-store (default true)
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
	// Flat starts the list flat, newest first, instead of grouped by page.
	Flat bool
	// SkipHeaders makes j/k and the other moves skip page rows.
	SkipHeaders bool
	// ListWidth is the list pane's share of a wide window (0 < w < 1);
	// 0 means the default. ListColumns, when set, is a fixed width instead.
	ListWidth   float64
	ListColumns int
	// ListMaxWidth caps the list pane, in columns; 0 means the default.
	ListMaxWidth int
	// Keys remaps actions to keys, applied over DefaultKeyMap.
	Keys map[string][]string
	// Path is the file the config was read from, "" if none.
	Path string
	// NoStore (store = false) runs every command without the store, as
	// --no-store does.
	NoStore bool
	// WatchlistToken is the token for wikifeed --watchlist, which reads
	// it only from a file that no one else may read; the UI does not use
	// it.
	WatchlistToken string
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

// ParseConfig parses the text of a config file; name is used in errors,
// which are one line in wikifeed's words: "config.toml:3: watch: bad
// duration". Only a syntax error keeps the TOML parser's description.
func ParseConfig(text, name string) (Config, error) {
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Config{}, fmt.Errorf("%s:%d: %s", name, pe.Position.Line, oneLine(pe.Message))
		}
		return Config{}, fmt.Errorf("%s: %s", name, oneLine(strings.TrimPrefix(err.Error(), "toml: ")))
	}
	// Keys and values come from the file: errors show them on one line,
	// made safe.
	badIn := func(table, key, format string, args ...any) error {
		msg := oneLine(key + ": " + fmt.Sprintf(format, args...))
		if n := keyLine(text, table, key); n > 0 {
			return fmt.Errorf("%s:%d: %s", name, n, msg)
		}
		return fmt.Errorf("%s: %s", name, msg)
	}
	bad := func(key, format string, args ...any) error { return badIn("", key, format, args...) }
	str := func(k string) (string, error) {
		v, ok := raw[k]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", bad(k, "want a string in quotes, not %s", tomlKind(v))
		}
		return s, nil
	}
	cfg := Config{Path: name}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := raw[k]
		var err error
		switch k {
		case "style":
			if cfg.Style, err = str(k); err == nil && cfg.Style != "" {
				if e := CheckStyle(cfg.Style); e != nil {
					err = bad(k, "%s", e)
				}
			}
		case "sources":
			cfg.Sources, err = stringList(v)
			if err != nil {
				err = bad(k, "%s", err)
			}
			for i, s := range cfg.Sources {
				if err == nil && strings.TrimSpace(s) == "" {
					err = bad(k, "source %d is empty", i+1)
				}
			}
		case "watch":
			var w string
			if w, err = str(k); err == nil && w != "" && w != "0" {
				d, e := time.ParseDuration(w)
				switch {
				case e != nil || d < 0:
					err = bad(k, "bad duration %q (write it like \"30s\" or \"5m\")", w)
				case d > 0 && d < MinWatch:
					err = bad(k, "%s is too often; the least is %s", d, MinWatch)
				}
				cfg.Watch = d
			}
		case "group":
			var g string
			if g, err = str(k); err == nil {
				switch g {
				case "page", "":
				case "time":
					cfg.Flat = true
				default:
					err = bad(k, "%q is not a grouping (want \"page\" or \"time\")", g)
				}
			}
		case "skip_headers":
			b, ok := v.(bool)
			if !ok {
				err = bad(k, "want true or false, not %s", tomlKind(v))
			}
			cfg.SkipHeaders = b
		case "store":
			b, ok := v.(bool)
			if !ok {
				err = bad(k, "want true or false, not %s", tomlKind(v))
			}
			cfg.NoStore = !b
		case "list_width":
			cfg.ListWidth, cfg.ListColumns, err = listWidth(v)
			if err != nil {
				err = bad(k, "%s", err)
			}
		case "list_max_width":
			n, ok := v.(int64)
			if !ok || n < listMinWidth || n > 1000 {
				err = bad(k, "want a number of columns from %d to 1000, not %s", listMinWidth, tomlValue(v))
			}
			cfg.ListMaxWidth = int(n)
		case "keys":
			if _, ok := v.(map[string]any); !ok {
				err = bad(k, "want a table ([keys] with lines such as down = [\"j\", \"down\"]), not %s", tomlKind(v))
				break
			}
			cfg.Keys, err = keyTable(v, func(action, format string, args ...any) error {
				return badIn("keys", action, format, args...)
			})
			if err != nil {
				break
			}
			km := DefaultKeyMap()
			if e := km.Remap(cfg.Keys); e != nil {
				var ke *KeyError
				if errors.As(e, &ke) {
					err = badIn("keys", ke.Action, "%s", ke.Msg)
				} else {
					err = bad("keys", "%s", e)
				}
			}
		case "watchlist_token":
			var t string
			if t, err = str(k); err == nil {
				cfg.WatchlistToken = strings.TrimSpace(t)
			}
		default:
			err = bad(k, "unknown setting %q", k)
		}
		if err != nil {
			return Config{}, err
		}
	}
	return cfg, nil
}

// keyTable reads the [keys] table: each action a list of key names (or
// one name).
func keyTable(v any, bad func(action, format string, args ...any) error) (map[string][]string, error) {
	t, ok := v.(map[string]any)
	if !ok {
		return nil, bad("keys", "want a table ([keys] with lines such as down = [\"j\", \"down\"]), not %s", tomlKind(v))
	}
	out := make(map[string][]string, len(t))
	for action, kv := range t {
		if s, ok := kv.(string); ok {
			out[action] = []string{s}
			continue
		}
		list, err := stringList(kv)
		if err != nil {
			return nil, bad(action, "want a list of keys such as [\"j\", \"down\"], not %s", tomlKind(kv))
		}
		out[action] = list
	}
	return out, nil
}

// stringList reads a TOML array of strings.
func stringList(v any) ([]string, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of strings such as [\"a\", \"b\"], not %s", tomlKind(v))
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("entry %d is %s, not a string", i+1, tomlKind(e))
		}
		out[i] = s
	}
	return out, nil
}

// listWidth reads list_width: "40%" (a share) or a number of columns.
func listWidth(v any) (share float64, cols int, err error) {
	switch v := v.(type) {
	case int64:
		if v < listMinWidth || v > 1000 {
			return 0, 0, fmt.Errorf("%d columns: want %d to 1000", v, listMinWidth)
		}
		return 0, int(v), nil
	case string:
		n, ok := strings.CutSuffix(strings.TrimSpace(v), "%")
		p, e := strconv.Atoi(strings.TrimSpace(n))
		if !ok || e != nil || p < 10 || p > 90 {
			return 0, 0, fmt.Errorf("%q: want a share from \"10%%\" to \"90%%\", or a number of columns", v)
		}
		return float64(p) / 100, 0, nil
	}
	return 0, 0, fmt.Errorf("want a share such as \"40%%\" or a number of columns, not %s", tomlKind(v))
}

// tomlKind names a decoded TOML value's type for an error message.
func tomlKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case time.Time:
		return "a date"
	}
	return "a value of another type"
}

// tomlValue shows a decoded value for an error message.
func tomlValue(v any) string {
	if n, ok := v.(int64); ok {
		return strconv.FormatInt(n, 10)
	}
	return tomlKind(v)
}

// keyLine returns the 1-based line where key is set ("key = ..." or a
// "[key]" table) inside table ("" for the top level), or 0.
func keyLine(text, table, key string) int {
	cur := ""
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			name := strings.Trim(strings.TrimSpace(strings.SplitN(l, "#", 2)[0]), "[] ")
			if table == "" && name == key {
				return i + 1
			}
			cur = name
			continue
		}
		if cur != table {
			continue
		}
		for _, form := range []string{key, `"` + key + `"`, "'" + key + "'"} {
			if rest, ok := strings.CutPrefix(l, form); ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
				return i + 1
			}
		}
	}
	return 0
}
