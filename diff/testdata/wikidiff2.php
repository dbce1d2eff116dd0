<?php
// Reads pairs written by writePairs (diff/corpus_test.go) from the file named
// by argv[1] and prints, per pair, one line: wikidiff2's inline JSON diff
// with no context lines. Used by TestWikidiff2Agreement.
$f = fopen($argv[1], 'rb');
if ($f === false) {
	fwrite(STDERR, "wikidiff2.php: cannot open {$argv[1]}\n");
	exit(1);
}
while (($name = fgets($f)) !== false) {
	[$la, $lb] = array_map('intval', explode(' ', trim(fgets($f))));
	$a = $la > 0 ? fread($f, $la) : '';
	$b = $lb > 0 ? fread($f, $lb) : '';
	echo wikidiff2_inline_json_diff($a, $b, 0), "\n";
}
