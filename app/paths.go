package app

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"
)

// Paths are the directories wikifeed keeps its files in, after the XDG
// base directory specification. Each is "" when neither its XDG variable
// nor HOME is set: nothing is then kept there.
type Paths struct {
	// Config holds config.toml: $XDG_CONFIG_HOME/wikifeed, else
	// ~/.config/wikifeed.
	Config string
	// Data holds the store: $XDG_DATA_HOME/wikifeed, else
	// ~/.local/share/wikifeed.
	Data string
	// State holds what a session leaves for the next (the entries seen):
	// $XDG_STATE_HOME/wikifeed, else ~/.local/state/wikifeed.
	State string
}

// PathsFrom works the paths out from the environment, read by getenv.
// Relative XDG values are ignored, as the specification says.
func PathsFrom(getenv func(string) string) Paths {
	home := getenv("HOME")
	dir := func(xdg string, fallback ...string) string {
		if d := getenv(xdg); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "wikifeed")
		}
		if home == "" {
			return ""
		}
		return filepath.Join(append(append([]string{home}, fallback...), "wikifeed")...)
	}
	return Paths{
		Config: dir("XDG_CONFIG_HOME", ".config"),
		Data:   dir("XDG_DATA_HOME", ".local", "share"),
		State:  dir("XDG_STATE_HOME", ".local", "state"),
	}
}

// ConfigFile is the config file's path; "" when there is no config
// directory.
func (p Paths) ConfigFile() string { return join(p.Config, "config.toml") }

// StoreFile is the store's database file; "" when there is no data
// directory.
func (p Paths) StoreFile() string { return join(p.Data, "wikifeed.db") }

// SeenFile is the state file of the entries seen for a set of sources
// (each set has its own, whatever the order); "" when there is no state
// directory.
func (p Paths) SeenFile(sources []string) string {
	s := append([]string(nil), sources...)
	sort.Strings(s)
	sum := sha256.Sum256([]byte(strings.Join(s, "\x00")))
	return join(p.State, "seen-"+hex.EncodeToString(sum[:8]))
}

// join joins dir and name, or gives "" when dir is "".
func join(dir, name string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name)
}
