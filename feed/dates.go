package feed

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Feed dates come in many more forms than RFC 822 and RFC 3339: the
// short ISO 8601 forms, RFC 822 with long month names, swapped fields,
// stray commas or a zone written "GMT-01:01" or "Etc/GMT", asctime, and a
// few localised forms (Korean, Greek, Hungarian) that feedparser's tests
// collect. parseDate reads them all; a zone abbreviation it does not know
// is read as UTC and reported, never taken as UTC silently.

// zoneOffsets maps the zone abbreviations seen in feed dates to their UTC
// offsets, in minutes. Sources: RFC 822 §5.1 (UT, GMT, the North American
// zones), RFC 5322 §4.3, and the abbreviations of the IANA time zone
// database (tzdata, as `date +%Z` prints them) for the others. An
// abbreviation several zones share is given its most common reading in
// feeds, noted beside it; ET, CT, MT, PT and AT (no standard/daylight
// letter) are read as standard time, as feedparser reads them.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "ETC/GMT": 0, "ETC/UTC": 0, "WET": 0,
	"WEST": 60, "BST": 60, // British Summer Time (not Bangladesh)
	"CET": 60, "MET": 60, "WAT": 60, "CEST": 120, "MEST": 120, "MESZ": 120, "MEZ": 60,
	"EET": 120, "CAT": 120, "SAST": 120, "IST": 330, // India (not Ireland or Israel)
	"EEST": 180, "MSK": 180, "EAT": 180, "TRT": 180, "MSD": 240,
	"PKT": 300, "NPT": 345, "ICT": 420, "WIB": 420,
	"HKT": 480, "SGT": 480, "AWST": 480, "PHT": 480, "WITA": 480,
	"JST": 540, "KST": 540, "WIT": 540, "ACST": 570, "ACDT": 630,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
	"AST": -240, "ADT": -180, "AT": -240, // Atlantic (not Arabia)
	"EST": -300, "EDT": -240, "ET": -300,
	"CST": -360, "CDT": -300, "CT": -360, // North American Central (not China)
	"MST": -420, "MDT": -360, "MT": -420,
	"PST": -480, "PDT": -420, "PT": -480,
	"AKST": -540, "AKDT": -480, "HST": -600, "NST": -210, "NDT": -150,
	"BRT": -180, "BRST": -120, "ART": -180, "CLT": -240,
}

// englishMonths maps month names and their abbreviations, in lower case.
var englishMonths = map[string]time.Month{}

// localMonths maps month names in the other languages feeds write them
// in (Greek abbreviations, Hungarian names) to months.
var localMonths = map[string]time.Month{
	"ιαν": 1, "φεβ": 2, "μάώ": 3, "μαώ": 3, "μάρ": 3, "μαρ": 3, "απρ": 4, "μάι": 5, "μαϊ": 5, "μαι": 5,
	"ιούν": 6, "ιον": 6, "ιουν": 6, "ιούλ": 7, "ιολ": 7, "ιουλ": 7, "αύγ": 8, "αυγ": 8,
	"σεπ": 9, "οκτ": 10, "νοέ": 11, "νοε": 11, "δεκ": 12,
	"január": 1, "február": 2, "március": 3, "április": 4, "május": 5, "június": 6,
	"július": 7, "augusztus": 8, "szeptember": 9, "október": 10, "november": 11, "december": 12,
}

// weekdays lists weekday names and abbreviations (English and Greek) that
// a date may start with, in lower case.
var weekdays = map[string]bool{
	"κυρ": true, "δευ": true, "τρι": true, "τετ": true, "πεμ": true, "παρ": true, "σαβ": true,
}

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		englishMonths[name] = m
		englishMonths[name[:3]] = m
	}
	englishMonths["sept"] = time.September
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		weekdays[name] = true
		weekdays[name[:3]] = true
	}
}

// dateProblem says why a date was read only in part; "" when it was read
// in full.
type dateProblem string

// lazyRE compiles expr when first used: most feeds' dates never need the
// patterns, and compiling them all at start-up cost every run.
func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

var (
	isoDateRE  = lazyRE(`^(\d{4})(?:-(\d{1,3})(?:-(\d{1,2}))?)?(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$`)
	isoBasicRE = lazyRE(`^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?$`)
	isoOrdRE   = lazyRE(`^(\d{4})-?(\d{3})$`)
	// The two-digit-year forms of ISO 8601:1988: YYMMDD, YY-MM-DD, -YYMM,
	// -YY-MM and YYDDD.
	isoShortRE    = lazyRE(`^(\d{2})-?(\d{2})-?(\d{2})$`)
	isoShortYMRE  = lazyRE(`^-(\d{2})-?(\d{2})$`)
	isoShortOrdRE = lazyRE(`^(\d{2})(\d{3})$`)
	hungarianRE   = lazyRE(`^(\d{4})-([^\d\s-]+)-(\d{1,2})(T.*)?$`)
	timeRE        = lazyRE(`^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?$`)
	offsetRE      = lazyRE(`^(?:GMT|UTC|UT)?([+-])(\d{1,2}):?(\d{2})?$`)
)

// parseDate reads a feed date. ok is false when s is no date it knows;
// problem is set when a part (the zone) was not understood and the time
// was read as UTC.
func parseDate(s string) (t time.Time, problem dateProblem, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, "", false
	}
	// The forms nearly every feed uses, without the general machinery (a
	// failed time.Parse allocates, so each is tried only on its shape):
	// RFC 3339, and RFC 1123 with GMT or a numeric zone.
	switch {
	case s[0] >= '0' && s[0] <= '9':
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, "", true
		}
	case strings.HasSuffix(s, " GMT"):
		// GMT as a literal: time.Parse would build a zone per call.
		if t, err := time.Parse("Mon, 02 Jan 2006 15:04:05 GMT", s); err == nil {
			return t, "", true
		}
	case len(s) > 5 && (s[len(s)-5] == '+' || s[len(s)-5] == '-'):
		if t, err := time.Parse(time.RFC1123Z, s); err == nil {
			return t, "", true
		}
	}
	if t, ok := parseISODate(s); ok {
		return t, "", true
	}
	if t, ok := parseKoreanDate(s); ok {
		return t, "", true
	}
	return parseWordDate(s)
}

// parseISODate reads ISO 8601 and W3C-DTF dates, complete or not.
func parseISODate(s string) (time.Time, bool) {
	if m := hungarianRE().FindStringSubmatch(s); m != nil {
		if mon, ok := localMonths[strings.ToLower(m[2])]; ok {
			s = fmt.Sprintf("%s-%02d-%02s%s", m[1], int(mon), m[3], m[4])
		}
	}
	atoi := func(x string, def int) int {
		if x == "" {
			return def
		}
		n, _ := strconv.Atoi(x)
		return n
	}
	build := func(y, mo, d int, h, mi, sec string, zone string) (time.Time, bool) {
		loc := time.UTC
		if zone != "" && zone != "Z" {
			off, ok := zoneOffset(zone)
			if !ok {
				return time.Time{}, false
			}
			loc = time.FixedZone("", off*60)
		}
		return checkedDate(y, mo, d, atoi(h, 0), atoi(mi, 0), atoi(sec, 0), loc)
	}
	if m := isoDateRE().FindStringSubmatch(s); m != nil {
		return build(atoi(m[1], 0), atoi(m[2], 1), atoi(m[3], 1), m[4], m[5], m[6], m[7])
	}
	if m := isoBasicRE().FindStringSubmatch(s); m != nil {
		return build(atoi(m[1], 0), atoi(m[2], 1), atoi(m[3], 1), m[4], m[5], m[6], m[7])
	}
	if m := isoOrdRE().FindStringSubmatch(s); m != nil {
		return ordinalDate(atoi(m[1], 0), atoi(m[2], 0))
	}
	century := func(yy int) int { return 2000 + yy } // ISO 8601:1988's implied century, as feedparser reads it
	if m := isoShortRE().FindStringSubmatch(s); m != nil {
		return checkedDate(century(atoi(m[1], 0)), atoi(m[2], 0), atoi(m[3], 0), 0, 0, 0, time.UTC)
	}
	if m := isoShortYMRE().FindStringSubmatch(s); m != nil {
		return checkedDate(century(atoi(m[1], 0)), atoi(m[2], 0), 1, 0, 0, 0, time.UTC)
	}
	if m := isoShortOrdRE().FindStringSubmatch(s); m != nil {
		return ordinalDate(century(atoi(m[1], 0)), atoi(m[2], 0))
	}
	return time.Time{}, false
}

// ordinalDate builds a date from a year and a day of the year.
func ordinalDate(y, yday int) (time.Time, bool) {
	if yday < 1 || yday > 366 {
		return time.Time{}, false
	}
	t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, yday-1)
	return t, t.Year() == y
}

// checkedDate is time.Date that refuses fields out of range rather than
// normalising them (31 February is no date).
func checkedDate(y, mo, d, h, mi, s int, loc *time.Location) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60 || y < 1 || y > 9999 {
		return time.Time{}, false
	}
	if h == 24 && (mi != 0 || s != 0) {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, min(s, 59), 0, loc)
	if t.Day() != d && h != 24 {
		return time.Time{}, false
	}
	return t, true
}

// zoneOffset reads a numeric offset ("+09:00", "-0500", "GMT-01:01") or a
// known abbreviation, in minutes.
func zoneOffset(z string) (int, bool) {
	if off, ok := zoneOffsets[strings.ToUpper(z)]; ok {
		return off, true
	}
	m := offsetRE().FindStringSubmatch(strings.ToUpper(z))
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[2])
	mi := 0
	if m[3] != "" {
		mi, _ = strconv.Atoi(m[3])
	}
	if h > 14 || mi > 59 {
		return 0, false
	}
	off := h*60 + mi
	if m[1] == "-" {
		off = -off
	}
	return off, true
}

// parseKoreanDate reads the two Korean forms feedparser knows: Nate's
// "2004-05-25 오후 11:23:17" (오전 AM, 오후 PM) and OnBlog's
// "2004년 05월 28일 01:31:15", both in Korean time (UTC+9).
func parseKoreanDate(s string) (time.Time, bool) {
	kst := time.FixedZone("KST", 9*3600)
	f := strings.Fields(s)
	if len(f) == 3 && (f[1] == "오전" || f[1] == "오후") {
		var y, mo, d, h, mi, sec int
		if _, err := fmt.Sscanf(f[0]+" "+f[2], "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec); err != nil {
			return time.Time{}, false
		}
		if f[1] == "오후" && h < 12 {
			h += 12
		}
		return checkedDate(y, mo, d, h, mi, sec, kst)
	}
	if len(f) == 4 && strings.HasSuffix(f[0], "년") && strings.HasSuffix(f[1], "월") && strings.HasSuffix(f[2], "일") {
		var y, mo, d, h, mi, sec int
		joined := strings.TrimSuffix(f[0], "년") + " " + strings.TrimSuffix(f[1], "월") + " " + strings.TrimSuffix(f[2], "일") + " " + f[3]
		if _, err := fmt.Sscanf(joined, "%d %d %d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec); err != nil {
			return time.Time{}, false
		}
		return checkedDate(y, mo, d, h, mi, sec, kst)
	}
	return time.Time{}, false
}

// parseWordDate reads the dates with a month name: RFC 822 and its
// variants (long month names, a missing or stray comma, swapped day and
// month, two-digit years, no seconds, no time), asctime, and Perforce's
// "Fri, 2006/09/15 08:19:53 EDT". It classifies the fields rather than
// matching layouts, so their order may vary.
func parseWordDate(s string) (time.Time, dateProblem, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	var (
		mon                    time.Month
		day, year              = -1, -1
		h, mi, sec             int
		hasTime                bool
		zone                   = ""
		numbers                []string
		problem                dateProblem
		yearDigits, zoneFields int
	)
	for i, f := range fields {
		lower := strings.ToLower(strings.TrimSuffix(f, "."))
		switch {
		case weekdays[lower] && i == 0:
		case englishMonths[lower] != 0 && mon == 0:
			mon = englishMonths[lower]
		case localMonths[lower] != 0 && mon == 0:
			mon = localMonths[lower]
		case timeRE().MatchString(f) && !hasTime:
			m := timeRE().FindStringSubmatch(f)
			h, _ = strconv.Atoi(m[1])
			mi, _ = strconv.Atoi(m[2])
			if m[3] != "" {
				sec, _ = strconv.Atoi(m[3])
			}
			hasTime = true
		case strings.Count(f, "/") == 2 && year < 0:
			// Perforce: 2006/09/15.
			p := strings.Split(f, "/")
			y, e1 := strconv.Atoi(p[0])
			m, e2 := strconv.Atoi(p[1])
			d, e3 := strconv.Atoi(p[2])
			if e1 != nil || e2 != nil || e3 != nil || m < 1 || m > 12 {
				return time.Time{}, "", false
			}
			year, mon, day, yearDigits = y, time.Month(m), d, len(p[0])
		case isDigits(f) && len(f) <= 4:
			numbers = append(numbers, f)
		case hasTime || i == len(fields)-1 || i == len(fields)-2:
			// A zone: a name, an offset, or "GMT" and an offset apart.
			if zone != "" {
				zone += f
			} else {
				zone = f
			}
			zoneFields++
		default:
			return time.Time{}, "", false
		}
	}
	if mon == 0 {
		return time.Time{}, "", false
	}
	for _, n := range numbers {
		v, _ := strconv.Atoi(n)
		switch {
		case len(n) <= 2 && day < 0:
			day = v
		case year < 0:
			year, yearDigits = v, len(n)
		default:
			return time.Time{}, "", false
		}
	}
	if day < 0 || year < 0 {
		return time.Time{}, "", false
	}
	if yearDigits <= 2 {
		// RFC 822's two-digit years, read as RFC 5322 §4.3 says.
		if year < 50 {
			year += 2000
		} else {
			year += 1900
		}
	}
	loc := time.UTC
	if zone != "" {
		off, ok := zoneOffset(zone)
		switch {
		case ok:
			loc = time.FixedZone("", off*60)
		case zoneFields == 1 && isLetters(zone):
			problem = dateProblem(fmt.Sprintf("unknown time zone %q; read as UTC", printable(zone)))
		default:
			return time.Time{}, "", false
		}
	}
	t, ok := checkedDate(year, int(mon), day, h, mi, sec, loc)
	if !ok {
		return time.Time{}, "", false
	}
	return t, problem, true
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isLetters reports whether s is all ASCII letters.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
