package tui

import (
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// TestStyleFileColoursTheView checks that a glamour JSON style file's
// colours reach the rendered revision on screen, first screen and whole
// alike, and that without the file they do not: the heading and link
// colours are true colours no built-in style uses.
func TestStyleFileColoursTheView(t *testing.T) {
	sc, err := render.ParseStyleConfig([]byte(`{"heading":{"color":"#123456"},"h2":{"color":"#123456"},"link_text":{"color":"#654321"},"code_block":{"chroma":{"text":{"color":"#ffffff"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	heading, link := "38;2;18;52;86", "38;2;101;67;33"
	for _, tc := range []struct {
		name string
		cfg  Config
		want bool
	}{
		{"style file", Config{Style: "dark", StyleConfig: sc}, true},
		{"style file, style auto", Config{StyleConfig: sc}, true},
		{"no file", Config{Style: "dark"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarnessConfig(t, feedOf(feed.Sample()), 140, 40, "", tc.cfg)
			// The sample's third revision has headings and links on its
			// first screen.
			hs.keys("j", "j")
			screen := hs.styled()
			if !strings.Contains(hs.screen(), "Containers/Mini-summit 2008") {
				t.Fatalf("the revision is not shown:\n%s", hs.screen())
			}
			for _, c := range []string{heading, link} {
				if got := strings.Contains(screen, c); got != tc.want {
					t.Errorf("colour %s on screen: %v, want %v\n%q", c, got, tc.want, screen)
				}
			}
			// Changed words keep the diff colours; the diff still shows.
			hs.keys("d")
			hs.contains("6199")
		})
	}
}

// TestStyleFileRest checks the second half of a long revision's render,
// which follows its first screen, takes the style file's colours too.
func TestStyleFileRest(t *testing.T) {
	sc, err := render.ParseStyleConfig([]byte(`{"heading":{"color":"#123456"}}`))
	if err != nil {
		t.Fatal(err)
	}
	rev := &feed.Revision{Page: "P", ID: 1, Kind: feed.BodyWikitext, Text: "== Head ==\ntext\n"}
	k := contentKey{width: 80, style: "dark"}
	msg, ok := renderRest(k, render.Prepare(rev), contentResult{}, sc)().(revisionRenderedMsg)
	if !ok || !strings.Contains(msg.res.text, "38;2;18;52;86") {
		t.Fatalf("the rest lacks the style file's heading colour: %+v", msg)
	}
}

// TestConfigStyleFile checks that the config's style may name a style
// file, which the command line reads.
func TestConfigStyleFile(t *testing.T) {
	for _, s := range []string{"/home/u/mine.json", "styles/mine", "mine.JSON"} {
		cfg, err := ParseConfig("style = \""+s+"\"\n", "config.toml")
		if err != nil || cfg.Style != s {
			t.Errorf("style %q: %+v, %v", s, cfg, err)
		}
	}
	if _, err := ParseConfig("style = \"mine\"\n", "config.toml"); err == nil {
		t.Error("style \"mine\" (no name, no file) was taken")
	}
}
