package eventstream

import (
	"strings"
	"testing"
	"time"
)

// The recorded events are all edits; these cases cover the other types'
// fields. They are written for this test from the schema
// (mediawiki/recentchange 1.0.0) and the facts in testdata/SOURCES.md, not
// recorded: a new page has no old revision or length, a log entry no
// revision and perhaps no rc id, an extension's type is its own string.
func TestDecodeOtherTypes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Change
	}{
		{
			"new page",
			`{"meta":{"id":"a","dt":"2025-01-02T03:04:05Z","domain":"mg.wiktionary.org"},"type":"new","namespace":0,"title":"arponeaban","timestamp":1735787045,"user":"Ikotobaity","bot":true,"length":{"new":181},"revision":{"new":36040297},"server_url":"https://mg.wiktionary.org","wiki":"mgwiktionary"}`,
			Change{ID: "a", Time: time.Unix(1735787045, 0).UTC(), Domain: "mg.wiktionary.org", Type: TypeNew, Title: "arponeaban", User: "Ikotobaity", Bot: true, NewLength: 181, HasLength: true, NewRevision: 36040297, ServerURL: "https://mg.wiktionary.org", Wiki: "mgwiktionary"},
		},
		{
			"log entry without rc id",
			`{"meta":{"id":"b","dt":"2025-01-02T03:04:05.5Z"},"type":"log","namespace":2,"title":"User:Example","user":"Example","log_id":156288747,"log_type":"newusers","log_action":"create","log_params":{"userid":1},"wiki":"enwiki"}`,
			Change{ID: "b", Time: time.Date(2025, 1, 2, 3, 4, 5, 5e8, time.UTC), Type: TypeLog, Namespace: 2, Title: "User:Example", User: "Example", LogID: 156288747, LogType: "newusers", LogAction: "create", Wiki: "enwiki"},
		},
		{
			"extension type, namespace 2600",
			`{"meta":{"id":"c"},"type":"142","namespace":2600,"title":"Topic:X","timestamp":1,"server_url":"https://www.mediawiki.org"}`,
			Change{ID: "c", Time: time.Unix(1, 0).UTC(), Type: "142", Namespace: 2600, Title: "Topic:X", ServerURL: "https://www.mediawiki.org"},
		},
		{
			"special page, negative namespace, null revision",
			`{"type":"log","namespace":-1,"title":"Special:Log","timestamp":2,"wiki":"commonswiki","revision":{"old":null,"new":null}}`,
			Change{Time: time.Unix(2, 0).UTC(), Type: TypeLog, Namespace: -1, Title: "Special:Log", Wiki: "commonswiki"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{`nope`, "not a recentchange event"},
		{`[]`, "not a recentchange event"},
		{`{"type":"edit","title":"x","wiki":"w","timestamp":"1"}`, "not a recentchange event"},
		{`{"title":"x","wiki":"w","timestamp":1}`, "no type"},
		{`{"type":"edit","wiki":"w","timestamp":1}`, "no title"},
		{`{"type":"edit","title":"x","timestamp":1}`, "no wiki"},
		{`{"type":"edit","title":"x","wiki":"w"}`, "no timestamp"},
		{`{"type":"edit","title":"x","wiki":"w","meta":{"dt":"now"}}`, "meta.dt"},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Decode(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestAPIURL(t *testing.T) {
	for _, tt := range []struct {
		c    Change
		want string
	}{
		{Change{ServerURL: "https://en.wikipedia.org", ScriptPath: "/w"}, "https://en.wikipedia.org/w/api.php"},
		{Change{ServerURL: "https://wiki.example.org/", ScriptPath: ""}, "https://wiki.example.org/w/api.php"},
		{Change{ServerURL: "http://localhost:8080", ScriptPath: "/mediawiki"}, "http://localhost:8080/mediawiki/api.php"},
		{Change{Wiki: "enwiki"}, ""},
	} {
		if got := tt.c.APIURL(); got != tt.want {
			t.Errorf("APIURL(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

// FuzzDecode: Decode never panics, and what it accepts has a type, a
// title source and a time.
func FuzzDecode(f *testing.F) {
	for _, e := range recorded(f)[:10] {
		f.Add(e)
	}
	f.Add([]byte(`{"type":"log","title":"","wiki":"w","timestamp":-9223372036854775808}`))
	f.Add([]byte(`{"meta":{"domain":"canary"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data)
		if err != nil {
			return
		}
		if c.Type == "" || (c.Wiki == "" && c.ServerURL == "") {
			t.Errorf("accepted %q as %+v", data, c)
		}
	})
}
