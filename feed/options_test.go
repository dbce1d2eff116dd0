package feed

import (
	"reflect"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/httpclient"
)

// TestOptionsFollowHTTPClient checks that Options and httpclient.Options
// cannot drift apart: every field the HTTP client takes (but the transport
// hook, which Options.HTTP replaces) is one of Options' and is passed on,
// and a field left zero or negative gets httpclient's default.
func TestOptionsFollowHTTPClient(t *testing.T) {
	ht := reflect.TypeFor[httpclient.Options]()
	ft := reflect.TypeFor[Options]()
	var set Options
	sv := reflect.ValueOf(&set).Elem()
	for i := range ht.NumField() {
		hf := ht.Field(i)
		if hf.Name == "WrapTransport" {
			continue
		}
		ff, ok := ft.FieldByName(hf.Name)
		if !ok || ff.Type != hf.Type {
			t.Errorf("httpclient.Options.%s (%s) has no feed.Options field of that name and type", hf.Name, hf.Type)
			continue
		}
		// A value no default has, for the pass-through check below.
		switch v := sv.FieldByName(hf.Name); v.Kind() {
		case reflect.String:
			v.SetString("test/" + hf.Name)
		case reflect.Int64:
			v.SetInt(int64(1000 + i))
		default:
			t.Fatalf("feed.Options.%s: no test value for kind %s", hf.Name, v.Kind())
		}
	}
	if t.Failed() {
		return
	}
	if got, want := set.httpOptions(), projectHTTP(set); !reflect.DeepEqual(got, want) {
		t.Errorf("httpOptions() = %+v, want the fields as set: %+v", got, want)
	}
	if got := set.withDefaults(); !reflect.DeepEqual(got, set) {
		t.Errorf("withDefaults changed fields that were set: %+v, want %+v", got, set)
	}

	want := httpclient.Options{}.WithDefaults()
	for _, o := range []Options{{}, {Timeout: -1, ConnectTimeout: -time.Second, MaxBytes: -1, MaxRetryWait: -1}} {
		got := o.withDefaults().httpOptions()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Options%+v.withDefaults() = %+v, want httpclient's defaults %+v", o, got, want)
		}
	}
}

// projectHTTP copies the fields of o that httpclient.Options shares, by
// name, so the test does not repeat httpOptions' own list.
func projectHTTP(o Options) httpclient.Options {
	var h httpclient.Options
	hv := reflect.ValueOf(&h).Elem()
	ov := reflect.ValueOf(o)
	for i := range hv.NumField() {
		if f := ov.FieldByName(hv.Type().Field(i).Name); f.IsValid() {
			hv.Field(i).Set(f)
		}
	}
	return h
}
