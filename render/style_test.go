package render

import (
	"encoding/json"
	"strings"
	"testing"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// TestParseStyleConfigGlamour checks that glamour's own standard styles,
// written as JSON files, decode with the colours glamour reads from them.
func TestParseStyleConfigGlamour(t *testing.T) {
	for name, g := range map[string]ansi.StyleConfig{
		"dark": styles.DarkStyleConfig, "light": styles.LightStyleConfig, "dracula": styles.DraculaStyleConfig,
		"pink": styles.PinkStyleConfig, "tokyo-night": styles.TokyoNightStyleConfig, "notty": styles.NoTTYStyleConfig,
	} {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseStyleConfig(b)
			if err != nil {
				t.Fatalf("ParseStyleConfig: %v", err)
			}
			for _, f := range []struct {
				field     string
				got, want *string
			}{
				{"document.color", c.Document.Color, g.Document.Color},
				{"heading.color", c.Heading.Color, g.Heading.Color},
				{"h1.color", c.H1.Color, g.H1.Color},
				{"h1.background_color", c.H1.BackgroundColor, g.H1.BackgroundColor},
				{"h2.color", c.H2.Color, g.H2.Color},
				{"link.color", c.Link.Color, g.Link.Color},
				{"link_text.color", c.LinkText.Color, g.LinkText.Color},
				{"code.color", c.Code.Color, g.Code.Color},
				{"code.background_color", c.Code.BackgroundColor, g.Code.BackgroundColor},
				{"code_block.color", c.CodeBlock.Color, g.CodeBlock.Color},
				{"hr.color", c.HorizontalRule.Color, g.HorizontalRule.Color},
			} {
				if str(f.got) != str(f.want) {
					t.Errorf("%s = %q, glamour has %q", f.field, str(f.got), str(f.want))
				}
			}
		})
	}
}

// str is *p, or "<nil>".
func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestParseStyleConfig checks what a style file may hold: fields wikifeed
// does not know are ignored; a file that is not JSON, or a colour that is
// not a string, is an error.
func TestParseStyleConfig(t *testing.T) {
	for _, tc := range []struct {
		name, json string
		wantErr    string
		heading    string
	}{
		{name: "unknown fields", json: `{"heading":{"color":"99","bold":true,"margin":3},"future":{"x":[1,2]}}`, heading: "99"},
		{name: "empty object", json: `{}`, heading: "<nil>"},
		{name: "truncated", json: `{"heading":`, wantErr: "unexpected end"},
		{name: "colour a number", json: `{"heading":{"color":99}}`, wantErr: "cannot unmarshal"},
		{name: "not an object", json: `["heading"]`, wantErr: "cannot unmarshal"},
		{name: "empty file", json: ``, wantErr: "unexpected end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseStyleConfig([]byte(tc.json))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := str(c.Heading.Color); got != tc.heading {
				t.Errorf("heading colour %q, want %q", got, tc.heading)
			}
		})
	}
}
