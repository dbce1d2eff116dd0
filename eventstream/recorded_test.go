package eventstream

import (
	"bytes"
	"os"
	"slices"
	"testing"
	"time"
)

// Further real recordings (testdata/SOURCES.md): events of five wikis with
// a log entry, and a categorize event.
const (
	multiWikiFile  = "testdata/recentchange-2024-04-26-multiwiki-magadiflo.ndjson"
	categorizeFile = "testdata/recentchange-2026-02-18-commonswiki-categorize-peterdijk.ndjson"
)

// recordedFrom returns the events of an NDJSON recording.
func recordedFrom(t testing.TB, name string, want int) [][]byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) != want {
		t.Fatalf("%s: %d events, want %d", name, len(lines), want)
	}
	return lines
}

// TestRecordedOtherTypesAndWikis replays the recordings of other wikis
// and types: each decodes, in order, with the fields each type carries.
func TestRecordedOtherTypesAndWikis(t *testing.T) {
	events := append(recordedFrom(t, multiWikiFile, 12), recordedFrom(t, categorizeFile, 1)...)
	srv := newReplayServer(t, framesOf(t, events))
	changes, st, warnings := follow(t, Options{URL: srv.URL}, 13, 10*time.Second)
	if len(changes) != 13 || st.Malformed != 0 || len(warnings) != 0 {
		t.Fatalf("%d changes, stats %+v, warnings %v", len(changes), st, warnings)
	}
	var wikis, types []string
	for _, c := range changes {
		wikis = append(wikis, c.Wiki)
		types = append(types, c.Type)
	}
	wantWikis := []string{
		"wikidatawiki", "enwiki", "wikidatawiki", "wikidatawiki", "plwiktionary", "eswiki", "enwiki",
		"commonswiki", "wikidatawiki", "eswiki", "enwiki", "wikidatawiki", "commonswiki",
	}
	if !slices.Equal(wikis, wantWikis) {
		t.Errorf("wikis %v", wikis)
	}
	if slices.Index(types, TypeLog) != 10 || types[12] != TypeCategorize || len(slices.DeleteFunc(slices.Clone(types), func(s string) bool { return s == TypeEdit })) != 2 {
		t.Errorf("types %v", types)
	}

	// The log entry: a deletion, no revisions, log_params an empty array.
	lg := changes[10]
	wantLog := Change{
		ID: "d5bf4701-791c-40a8-b3f6-c450f961476b", EventID: lg.EventID,
		Time: time.Unix(1714089653, 0).UTC(), Wiki: "enwiki",
		ServerURL: "https://en.wikipedia.org", ScriptPath: "/w", Domain: "en.wikipedia.org",
		Title:     "Category talk:Replaceable non-free use to be decided after 25 April 2024",
		TitleURL:  "https://en.wikipedia.org/wiki/Category_talk:Replaceable_non-free_use_to_be_decided_after_25_April_2024",
		Namespace: 15, Type: TypeLog, User: "Explicit",
		Comment:        `[[WP:CSD#G8|G8]]: Talk page of deleted page "Category:Replaceable non-free use to be decided after 25 April 2024"`,
		ParsedComment:  lg.ParsedComment,
		RecentChangeID: 1769695961, LogID: 161650906, LogType: "delete", LogAction: "delete",
	}
	if lg != wantLog {
		t.Errorf("log entry\n got %+v\nwant %+v", lg, wantLog)
	}

	// The categorize event: no revision, no length, a time in ms.
	cat := changes[12]
	if cat.Type != TypeCategorize || cat.Namespace != 14 || cat.Title != "Category:Deletion requests February 2026" ||
		cat.NewRevision != 0 || cat.OldRevision != 0 || cat.HasLength || cat.RecentChangeID != 3202826349 ||
		cat.User != "Günther Frager" || !cat.Time.Equal(time.Unix(1771426452, 0)) || cat.APIURL() != "https://commons.wikimedia.org/w/api.php" {
		t.Errorf("categorize: %+v", cat)
	}

	// An edit of another wiki, with its rcid in notify_url.
	pl := changes[4]
	if pl.Title != "niem." || pl.OldRevision != 6748779 || pl.NewRevision != 8380181 || pl.APIURL() != "https://pl.wiktionary.org/w/api.php" {
		t.Errorf("plwiktionary edit: %+v", pl)
	}
}

// TestRecordedFilters filters the same recordings by wiki, type and bot.
func TestRecordedFilters(t *testing.T) {
	events := append(recordedFrom(t, multiWikiFile, 12), recordedFrom(t, categorizeFile, 1)...)
	for _, c := range []struct {
		name   string
		filter Filter
		want   int
	}{
		{"wikidata", Filter{Wikis: []string{"wikidatawiki"}}, 5},
		{"commons by host", Filter{Wikis: []string{"commons.wikimedia.org"}}, 2},
		{"log and categorize", Filter{Types: []string{TypeLog, TypeCategorize}}, 2},
		{"humans on enwiki", Filter{Wikis: []string{"enwiki"}, Bot: Hide}, 2},
		{"category namespace", Filter{Namespaces: []int{14}}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newReplayServer(t, framesOf(t, events))
			changes, st, _ := follow(t, Options{URL: srv.URL, Filter: c.filter}, c.want, 10*time.Second)
			if len(changes) != c.want || st.Filtered != int64(13-c.want) {
				t.Errorf("%d changes, %d filtered; want %d and %d", len(changes), st.Filtered, c.want, 13-c.want)
			}
		})
	}
}
