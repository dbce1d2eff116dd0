#!/usr/bin/env bash
# bench/run.sh: our diff (package diff, in process), alone and with the
# terminal rendering `wikifeed diff --format ansi` does (bench/diffrender),
# against MediaWiki's wikidiff2_do_diff, which builds its HTML table too (in
# process in PHP, hrtime around the calls), on the same pairs; and
# `wikifeed diff` as a whole process against `git diff --no-index
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
go build -o "$tmp/diffrender" ./bench/diffrender
"$tmp/diffrender" "$runs" "$tmp/uk.pairs" "$tmp/wiktionary.pairs" "$tmp/unrelated.pairs" \
	"$tmp/revs.pairs" "$tmp/chinese.pairs" "$tmp/oneline.pairs" >"$tmp/ours.txt"
# wikidiff2 takes minutes on the 1 MB single line: one run there.
php bench/wikidiff2_bench.php "$runs" "$tmp/uk.pairs" "$tmp/wiktionary.pairs" "$tmp/unrelated.pairs" \
	"$tmp/revs.pairs" "$tmp/chinese.pairs" --runs=1 "$tmp/oneline.pairs" >"$tmp/php.txt"

# median NAME FIELD: median of a benchmark's field (ns/op or B/op value).
median() {
	awk -v name="$1" -v unit="$2" '$1 ~ "^Benchmark" name "-" {
		for (i = 2; i < NF; i++) if ($(i+1) == unit) print $i
	}' "$tmp/go.txt" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

field() { awk -v f="$2" -v k="$3" '$1 == f {print $k}' "$1"; }

size() { awk '/^[0-9]+ [0-9]+$/ {s += $1 + $2} END {print s}' "$1"; }

printf '%-26s %8s %9s %11s %9s %7s %8s %10s %10s %10s\n' \
	"pair set" "input KB" "ours ms" "+render ms" "wd2 ms" "ratio" "+render" "diff B/in" "+rend B/in" "wd2 peak"
row() { # LABEL BENCH PAIRFILE
	local bytes in ours total ralloc wd peak
	bytes=$(median "$2" B/op)
	in=$(size "$tmp/$3")
	ours=$(field "$tmp/ours.txt" "$3" 2)
	total=$(field "$tmp/ours.txt" "$3" 3)
	ralloc=$(field "$tmp/ours.txt" "$3" 4)
	wd=$(field "$tmp/php.txt" "$3" 2)
	peak=$(field "$tmp/php.txt" "$3" 3)
	awk -v l="$1" -v o="$ours" -v t="$total" -v b="$bytes" -v rb="$ralloc" -v in_="$in" -v wd="$wd" -v pk="$peak" 'BEGIN {
		printf "%-26s %8.0f %9.3f %11.3f %9.3f %6.2fx %7.2fx %9.2fx %9.2fx %7.0f KB\n",
			l, in_ / 1024, o, t, wd, o / wd, t / wd, b / in_, rb / in_, pk / 1024
	}'
}
row "United_Kingdom 13 edits" UnitedKingdom13Edits uk.pairs
row "Wiktionary 213 pairs" WiktionaryPairs wiktionary.pairs
row "unrelated 500 KB x2" Unrelated500KB unrelated.pairs
row "real edits en/hi/ru/th/zh" RealEdits revs.pairs
row "chinese-reverse" ChineseReverse chinese.pairs
row "single line 1 MB" SingleLine1MB oneline.pairs
echo "(ours, +render, wd2: median of $runs runs in one process each (wd2: 1 run of the single line);"
echo " ratio = ours / wd2 for the diff"
echo " alone and with our rendering (wikidiff2_do_diff always builds its HTML); diff B/in = bytes"
echo " allocated per input byte by the diff (go test -bench, -count=$count), +rend B/in the same"
echo " with the rendering; wd2 peak = PHP memory_get_peak_usage growth)"

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
	ansims=$(wall 20 "$tmp/wikifeed" diff --from 1 --to 2 --format ansi "$tmp/uk.atom")
	startms=$(wall 20 "$tmp/wikifeed" --version)
	awk -v w="$wfms" -v a="$ansims" -v s="$startms" -v g="$gitms" 'BEGIN {
		printf "whole process, United_Kingdom pair (mean of 20 runs): git diff --no-index --word-diff %s ms\n", g
		printf "  wikifeed diff (plain, as on a pipe) %s ms, ratio %.1fx\n", w, w / g
		printf "  wikifeed diff --format ansi         %s ms, ratio %.1fx\n", a, a / g
		printf "  wikifeed --version (start-up alone) %s ms, %.0f%% of the plain diff\n", s, 100 * s / w
	}'
else
	echo "whole process, United_Kingdom pair: git diff --no-index --word-diff ${gitms} ms;" \
		"wikifeed diff n/a ($(head -c 200 "$tmp/wf.err" 2>/dev/null | head -1 || true))"
fi
