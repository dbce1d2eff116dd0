package tui

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every key binding of the UI. The help screen is generated
// from it, so the keys and their help cannot drift apart; the config file
// remaps bindings by their action names (see KeyMap.Actions).
type KeyMap struct {
	Up, Down       key.Binding
	Open, Back     key.Binding
	SwitchFocus    key.Binding
	Diff, Rendered key.Binding
	Source         key.Binding
	// WikiRendering toggles the wiki's own rendering in the rendered
	// view.
	WikiRendering     key.Binding
	NextChange        key.Binding
	PrevChange        key.Binding
	Newer, Older      key.Binding
	Top, Bottom       key.Binding
	PageUp, PageDown  key.Binding
	HalfUp, HalfDown  key.Binding
	Filter, Search    key.Binding
	Group             key.Binding
	SkipHeaders       key.Binding
	OpenBrowser, Copy key.Binding
	Reload            key.Binding
	// Reviewed, AllRead and NextUnread act on the store's marks; without
	// a store they do nothing.
	Reviewed, AllRead key.Binding
	NextUnread        key.Binding
	// UnreadOnly shows only the unread entries, or all again; SearchStore
	// searches every stored revision. Both need the store.
	UnreadOnly, SearchStore key.Binding
	Help, Quit              key.Binding
	ForceQuit               key.Binding
	Accept, Cancel          key.Binding // inside the filter and search inputs
	// Wheel and Click describe the mouse for the help screen; no key
	// matches them.
	Wheel, Click key.Binding
}

// keyLabels are the help's names for keys whose config name is a word.
var keyLabels = map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn", "backspace": "bksp"}

// helpKeys is the help's text for a list of keys: every one of them.
func helpKeys(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k
		if l, ok := keyLabels[k]; ok {
			out[i] = l
		}
	}
	return strings.Join(out, "/")
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	b := func(desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
	}
	// The mouse has no key string; these never match a key press.
	mouse := func(label, desc string) key.Binding {
		return key.NewBinding(key.WithKeys("\x00mouse "+label), key.WithHelp(label, desc))
	}
	return KeyMap{
		Up:          b("up", "k", "up"),
		Down:        b("down", "j", "down"),
		Open:        b("open", "enter"),
		Back:        b("back; end search, filter", "esc", "backspace"),
		SwitchFocus: b("switch pane", "tab"),
		Diff:        b("diff", "d"),
		Rendered:    b("rendered", "r"),
		Source:      b("source", "s"),
		// A toggle: again, wikifeed's own rendering.
		WikiRendering: b("wiki's own rendering", "W"),
		NextChange:    b("next change/match", "n"),
		PrevChange:    b("previous change/match", "N"),
		Newer:         b("newer revision", "]"),
		Older:         b("older revision", "["),
		Top:           b("top", "g", "home"),
		Bottom:        b("bottom", "G", "end"),
		PageUp:        b("page up", "pgup", "b"),
		PageDown:      b("page down", "pgdown", "space", "f"),
		HalfUp:        b("half page up", "ctrl+u"),
		HalfDown:      b("half page down", "ctrl+d"),
		Filter:        b("filter list", "/"),
		Search:        b("search content", "ctrl+f"),
		Group:         b("group by page/flat", "t"),
		SkipHeaders:   b("j/k skip page rows", "H"),
		OpenBrowser:   b("open in browser", "o"),
		Copy:          b("copy URL", "y"),
		Reload:        b("reload", "R"),
		Reviewed:      b("mark reviewed", "v"),
		AllRead:       b("mark all shown read", "A"),
		NextUnread:    b("next unread", "u"),
		UnreadOnly:    b("unread only/all", "U"),
		SearchStore:   b("search the store", "S"),
		Help:          b("help", "?"),
		Quit:          b("quit", "q"),
		ForceQuit:     b("quit at once", "ctrl+c"),
		Accept:        b("apply (in filter/search)", "enter"),
		Cancel:        b("cancel (in filter/search)", "esc"),
		Wheel:         mouse("wheel", "scroll the pane under it"),
		Click:         mouse("click", "select a row, focus a pane"),
	}
}

// ShortHelp returns the bindings shown in the status bar, in the order
// shown; shortHelpRank says which go first when there is no room.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Down, k.Open, k.Diff, k.NextChange, k.Filter, k.Search, k.Help, k.Quit}
}

// shortHelpRank is the importance of each ShortHelp binding, by index:
// the status bar drops the highest numbers first. Help goes last, as it
// leads to every other key.
var shortHelpRank = []int{7, 5, 3, 4, 2, 6, 0, 1}

// FullHelp returns the bindings of the help screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Open, k.Back, k.SwitchFocus, k.Group, k.SkipHeaders},
		{k.Rendered, k.WikiRendering, k.Diff, k.Source, k.NextChange, k.PrevChange, k.Newer, k.Older},
		{k.Top, k.Bottom, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Wheel, k.Click},
		{k.Filter, k.Search, k.Accept, k.Cancel, k.OpenBrowser, k.Copy, k.Reload},
		{k.NextUnread, k.UnreadOnly, k.Reviewed, k.AllRead, k.SearchStore, k.Help, k.Quit, k.ForceQuit},
	}
}

// Actions maps each remappable action name, as the config file's [keys]
// table writes it, to its binding.
func (k *KeyMap) Actions() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "open": &k.Open, "back": &k.Back,
		"switch_focus": &k.SwitchFocus, "diff": &k.Diff, "rendered": &k.Rendered,
		"source": &k.Source, "wiki_rendering": &k.WikiRendering, "next_change": &k.NextChange, "prev_change": &k.PrevChange,
		"newer": &k.Newer, "older": &k.Older, "top": &k.Top, "bottom": &k.Bottom,
		"page_up": &k.PageUp, "page_down": &k.PageDown, "half_page_up": &k.HalfUp,
		"half_page_down": &k.HalfDown, "filter": &k.Filter, "search": &k.Search,
		"group": &k.Group, "skip_headers": &k.SkipHeaders, "open_browser": &k.OpenBrowser,
		"copy_url": &k.Copy, "reload": &k.Reload, "help": &k.Help, "quit": &k.Quit,
		"mark_reviewed": &k.Reviewed, "mark_all_read": &k.AllRead, "next_unread": &k.NextUnread,
		"unread_only": &k.UnreadOnly, "search_store": &k.SearchStore,
	}
}

// keyNames are the names of keys that are not one printable character.
var keyNames = map[string]bool{
	"enter": true, "tab": true, "backspace": true, "esc": true, "space": true,
	"up": true, "down": true, "left": true, "right": true, "begin": true, "find": true,
	"insert": true, "delete": true, "select": true, "pgup": true, "pgdown": true,
	"home": true, "end": true,
}

// modifiers are the key modifiers, in the order key names write them.
var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// CheckKey reports whether s names a key the UI can receive: a printable
// character or a key name ("enter", "pgdown", "f5"), after modifiers in
// the order ctrl+alt+shift+meta+hyper+super.
func CheckKey(s string) error {
	rest, last := s, -1
	for {
		found := false
		for i, m := range modifiers {
			if r, ok := strings.CutPrefix(rest, m+"+"); ok && r != "" {
				if i <= last {
					return fmt.Errorf("%q: write modifiers in the order %s", s, strings.Join(modifiers, "+"))
				}
				rest, last, found = r, i, true
				break
			}
		}
		if !found {
			break
		}
	}
	if keyNames[rest] {
		return nil
	}
	if n, ok := strings.CutPrefix(rest, "f"); ok && n != "" && len(n) <= 2 && strings.Trim(n, "0123456789") == "" && n[0] != '0' {
		return nil // f1 … f63
	}
	if r, size := utf8.DecodeRuneInString(rest); size == len(rest) && r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return nil
	}
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("an empty key")
	}
	return fmt.Errorf("%q is not a key (a key is one character such as \"j\" or \"?\", or a name such as \"enter\", \"esc\", \"pgdown\", \"f5\", with modifiers such as \"ctrl+\")", s)
}

// KeyError is a bad [keys] entry: the action it is about and what is
// wrong with it.
type KeyError struct {
	Action string
	Msg    string
}

func (e *KeyError) Error() string { return e.Action + ": " + e.Msg }

// Remap rebinds actions by name to the given keys; the help text follows.
// It fails, with a *KeyError, on an unknown action, a list without keys, a
// string that names no key, or a key that two actions would share.
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
			return &KeyError{n, fmt.Sprintf("unknown key action %q", n)}
		}
		keys := m[n]
		if len(keys) == 0 {
			return &KeyError{n, fmt.Sprintf("key action %q has no keys", n)}
		}
		for _, s := range keys {
			if err := CheckKey(s); err != nil {
				return &KeyError{n, err.Error()}
			}
		}
		b.SetKeys(keys...)
		b.SetHelp(helpKeys(keys), b.Help().Desc)
	}
	return k.conflict(names)
}

// conflict reports a key bound to two actions; remapped names the actions
// the config changed, so the error is about one of those. Every action
// answers in the same place (the list, the content pane and the help share
// the keys), ctrl+c included.
func (k *KeyMap) conflict(remapped []string) error {
	acts := k.Actions()
	acts["force_quit"] = &k.ForceQuit
	names := make([]string, 0, len(acts))
	for n := range acts {
		names = append(names, n)
	}
	sort.Strings(names)
	owner := map[string]string{}
	for _, n := range names {
		for _, s := range acts[n].Keys() {
			if other, ok := owner[s]; ok && other != n {
				blame, with := n, other
				if !contains(remapped, n) {
					blame, with = other, n
				}
				return &KeyError{blame, fmt.Sprintf("%q is also the key of %s (give %s other keys too)", s, with, with)}
			}
			owner[s] = n
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
