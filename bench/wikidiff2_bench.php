<?php
// Times wikidiff2 in process on pair files written by
// `go test ./diff/ -run TestExportBenchPairs -args -export=DIR`.
// Usage: php wikidiff2_bench.php RUNS [--runs=N] FILE...
// Prints per file one line: "name ms_median peak_bytes", where ms_median is
// the median over RUNS of the time to diff every pair of the file with
// wikidiff2_do_diff (the table format MediaWiki serves, 2 context lines),
// measured with hrtime around the calls only. --runs=N sets RUNS for the
// files after it; with one run there is no warm-up (wikidiff2 takes minutes
// on the 1 MB single line).
if (count($argv) < 3) {
	fwrite(STDERR, "usage: php wikidiff2_bench.php RUNS FILE...\n");
	exit(2);
}
$runs = (int)$argv[1];
for ($k = 2; $k < count($argv); $k++) {
	if (str_starts_with($argv[$k], '--runs=')) {
		$runs = max(1, (int)substr($argv[$k], 7));
		continue;
	}
	$f = fopen($argv[$k], 'rb');
	if ($f === false) {
		fwrite(STDERR, "wikidiff2_bench.php: cannot open {$argv[$k]}\n");
		exit(1);
	}
	$pairs = [];
	while (($name = fgets($f)) !== false) {
		[$la, $lb] = array_map('intval', explode(' ', trim(fgets($f))));
		$a = $la > 0 ? fread($f, $la) : '';
		$b = $lb > 0 ? fread($f, $lb) : '';
		$pairs[] = [$a, $b];
	}
	fclose($f);
	if ($runs > 1) {
		foreach ($pairs as [$a, $b]) { // warm up
			wikidiff2_do_diff($a, $b, 2);
		}
	}
	memory_reset_peak_usage();
	$base = memory_get_usage();
	$times = [];
	for ($r = 0; $r < $runs; $r++) {
		$t0 = hrtime(true);
		foreach ($pairs as [$a, $b]) {
			$out = wikidiff2_do_diff($a, $b, 2);
		}
		$times[] = (hrtime(true) - $t0) / 1e6;
		unset($out);
	}
	sort($times);
	$peak = memory_get_peak_usage() - $base;
	printf("%s %.3f %d\n", basename($argv[$k]), $times[intdiv(count($times), 2)], $peak);
}
