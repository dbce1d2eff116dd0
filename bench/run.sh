#!/usr/bin/env bash
# bench/run.sh: our diff (package diff, in process) against MediaWiki's
# wikidiff2 (in process in PHP, hrtime around the calls) on the same pairs,
# and `wikifeed diff` as a whole process against `git diff --no-index
# --word-diff` on the bare files. Prints one table.
#
# Needs: go, php-cli with php-wikidiff2 (Debian packages php-cli
# php-wikidiff2), git. Usage: bench/run.sh [RUNS] (default 15; the Go
# benchmarks run with -count=RUNS/3, at least 3).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
count=$(( runs / 3 < 3 ? 3 : runs / 3 ))

if ! command -v php >/dev/null || ! php -r 'exit(function_exists("wikidiff2_do_diff") ? 0 : 1);'; then
	echo "bench/run.sh: php with the wikidiff2 extension is missing (apt-get install php-cli php-wikidiff2)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test ./diff/ -run '^TestExportBenchPairs$' -count=1 -args -export="$tmp" >/dev/null
go test ./diff/ -run '^$' -bench '^Benchmark(UnitedKingdom13Edits|WiktionaryPairs|Unrelated500KB|RealEdits|ChineseReverse|SingleLine1MB)$' \
	-benchmem -count="$count" >"$tmp/go.txt"
php bench/wikidiff2_bench.php "$runs" "$tmp/uk.pairs" "$tmp/wiktionary.pairs" "$tmp/unrelated.pairs" \
	"$tmp/revs.pairs" "$tmp/chinese.pairs" "$tmp/oneline.pairs" >"$tmp/php.txt"

# median NAME FIELD: median of a benchmark's field (ns/op or B/op value).
median() {
	awk -v name="$1" -v unit="$2" '$1 ~ "^Benchmark" name "-" {
		for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i
	}' "$tmp/go.txt" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

php_field() { awk -v f="$1" -v k="$2" '$1 == f {print $k}' "$tmp/php.txt"; }

size() { awk '/^[0-9]+ [0-9]+$/ {s += $1 + $2} END {print s}' "$1"; }

printf '%-26s %9s %11s %14s %7s %12s %11s %12s\n' \
	"pair set" "input KB" "ours ms" "wikidiff2 ms" "ratio" "ours alloc" "alloc/input" "wd2 peak"
row() { # LABEL BENCH PAIRFILE
	local ns bytes in wd peak
	ns=$(median "$2" ns/op)
	bytes=$(median "$2" B/op)
	in=$(size "$tmp/$3")
	wd=$(php_field "$3" 2)
	peak=$(php_field "$3" 3)
	awk -v l="$1" -v ns="$ns" -v b="$bytes" -v in_="$in" -v wd="$wd" -v pk="$peak" 'BEGIN {
		printf "%-26s %9.0f %11.3f %14.3f %6.2fx %9.0f KB %10.2fx %9.0f KB\n",
			l, in_ / 1024, ns / 1e6, wd, (ns / 1e6) / wd, b / 1024, b / in_, pk / 1024
	}'
}
row "United_Kingdom 13 edits" UnitedKingdom13Edits uk.pairs
row "Wiktionary 213 pairs" WiktionaryPairs wiktionary.pairs
row "unrelated 500 KB x2" Unrelated500KB unrelated.pairs
row "real edits en/hi/ru/th/zh" RealEdits revs.pairs
row "chinese-reverse" ChineseReverse chinese.pairs
row "single line 1 MB" SingleLine1MB oneline.pairs
echo "(ours: median of $count go test -bench runs, B/op = all bytes allocated per diff;"
echo " wikidiff2: median of $runs runs of wikidiff2_do_diff, peak = PHP memory_get_peak_usage growth)"

# Whole process: average wall time of N runs of a command, in ms.
wall() {
	local n=$1; shift
	local t0 t1
	t0=$(date +%s%N)
	for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || true; done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN {printf "%.1f", (b - a) / n / 1e6}'
}
echo
gitms=$(wall 20 git diff --no-index --word-diff "$tmp/uk-old.wikitext" "$tmp/uk-new.wikitext")
if go build -o "$tmp/wikifeed" ./cmd/wikifeed 2>/dev/null &&
	"$tmp/wikifeed" diff --from 1 --to 2 "$tmp/uk.atom" >"$tmp/wf.out" 2>"$tmp/wf.err" &&
	grep -q edited "$tmp/wf.out"; then
	wfms=$(wall 20 "$tmp/wikifeed" diff --from 1 --to 2 "$tmp/uk.atom")
	awk -v w="$wfms" -v g="$gitms" 'BEGIN {
		printf "whole process, United_Kingdom pair: wikifeed diff %s ms, git diff --no-index --word-diff %s ms, ratio %.1fx\n", w, g, w / g
	}'
else
	echo "whole process, United_Kingdom pair: git diff --no-index --word-diff ${gitms} ms;" \
		"wikifeed diff n/a ($(head -c 200 "$tmp/wf.err" 2>/dev/null | head -1 || true))"
fi
