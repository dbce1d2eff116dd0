package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every key binding of the UI. The help screen is generated
// from it, so the keys and their help cannot drift apart; the config file
// remaps bindings by their action names (see KeyMap.Actions).
type KeyMap struct {
	Up, Down          key.Binding
	Open, Back        key.Binding
	SwitchFocus       key.Binding
	Diff, Rendered    key.Binding
	Source            key.Binding
	NextChange        key.Binding
	PrevChange        key.Binding
	Newer, Older      key.Binding
	Top, Bottom       key.Binding
	PageUp, PageDown  key.Binding
	HalfUp, HalfDown  key.Binding
	Filter, Search    key.Binding
	Group             key.Binding
	OpenBrowser, Copy key.Binding
	Reload            key.Binding
	Help, Quit        key.Binding
	ForceQuit         key.Binding
	Accept, Cancel    key.Binding // inside the filter and search inputs
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Up:          b([]string{"k", "up"}, "↑/k", "up"),
		Down:        b([]string{"j", "down"}, "↓/j", "down"),
		Open:        b([]string{"enter"}, "enter", "open"),
		Back:        b([]string{"esc", "backspace"}, "esc", "back"),
		SwitchFocus: b([]string{"tab"}, "tab", "switch pane"),
		Diff:        b([]string{"d"}, "d", "diff"),
		Rendered:    b([]string{"r"}, "r", "rendered"),
		Source:      b([]string{"s"}, "s", "source"),
		NextChange:  b([]string{"n"}, "n", "next change/match"),
		PrevChange:  b([]string{"N"}, "N", "previous change/match"),
		Newer:       b([]string{"]"}, "]", "newer revision"),
		Older:       b([]string{"["}, "[", "older revision"),
		Top:         b([]string{"g", "home"}, "g", "top"),
		Bottom:      b([]string{"G", "end"}, "G", "bottom"),
		PageUp:      b([]string{"pgup", "b"}, "pgup", "page up"),
		PageDown:    b([]string{"pgdown", "space", "f"}, "pgdn", "page down"),
		HalfUp:      b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		HalfDown:    b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		Filter:      b([]string{"/"}, "/", "filter list"),
		Search:      b([]string{"ctrl+f"}, "ctrl+f", "search content"),
		Group:       b([]string{"t"}, "t", "group by page/flat"),
		OpenBrowser: b([]string{"o"}, "o", "open in browser"),
		Copy:        b([]string{"y"}, "y", "copy URL"),
		Reload:      b([]string{"R"}, "R", "reload"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q"}, "q", "quit"),
		ForceQuit:   b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Accept:      b([]string{"enter"}, "enter", "apply"),
		Cancel:      b([]string{"esc"}, "esc", "cancel"),
	}
}

// ShortHelp returns the bindings shown in the status bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Open, k.Diff, k.NextChange, k.Filter, k.Help, k.Quit}
}

// FullHelp returns the bindings of the help screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Back, k.SwitchFocus, k.Group},
		{k.Rendered, k.Diff, k.Source, k.NextChange, k.PrevChange, k.Newer, k.Older},
		{k.Top, k.Bottom, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown},
		{k.Filter, k.Search, k.OpenBrowser, k.Copy, k.Reload, k.Help, k.Quit},
	}
}

// Actions maps each remappable action name, as the config file's [keys]
// table writes it, to its binding.
func (k *KeyMap) Actions() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "open": &k.Open, "back": &k.Back,
		"switch_focus": &k.SwitchFocus, "diff": &k.Diff, "rendered": &k.Rendered,
		"source": &k.Source, "next_change": &k.NextChange, "prev_change": &k.PrevChange,
		"newer": &k.Newer, "older": &k.Older, "top": &k.Top, "bottom": &k.Bottom,
		"page_up": &k.PageUp, "page_down": &k.PageDown, "half_page_up": &k.HalfUp,
		"half_page_down": &k.HalfDown, "filter": &k.Filter, "search": &k.Search,
		"group": &k.Group, "open_browser": &k.OpenBrowser, "copy_url": &k.Copy,
		"reload": &k.Reload, "help": &k.Help, "quit": &k.Quit,
	}
}

// Remap rebinds actions by name to the given keys; the help text follows.
// It fails on an unknown action or an empty key list.
func (k *KeyMap) Remap(m map[string][]string) error {
	acts := k.Actions()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, ok := acts[n]
		if !ok {
			return fmt.Errorf("unknown key action %q", n)
		}
		keys := m[n]
		if len(keys) == 0 {
			return fmt.Errorf("key action %q has no keys", n)
		}
		for _, s := range keys {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("key action %q has an empty key", n)
			}
		}
		b.SetKeys(keys...)
		b.SetHelp(strings.Join(keys, "/"), b.Help().Desc)
	}
	return nil
}
