<?php
// Reads text pairs from the file named by argv[1] (per pair: a line with
// the two lengths in bytes, then the two texts) and writes, per pair, the
// byte length of wikidiff2's HTML table rows on one line, then the rows.
// Used by TestWikidiff2Tables.
$f = fopen($argv[1], 'rb');
if ($f === false) {
	fwrite(STDERR, "tables.php: cannot open {$argv[1]}\n");
	exit(1);
}
while (($line = fgets($f)) !== false) {
	[$la, $lb] = array_map('intval', explode(' ', trim($line)));
	$a = $la > 0 ? fread($f, $la) : '';
	$b = $lb > 0 ? fread($f, $lb) : '';
	$html = wikidiff2_do_diff($a, $b, 2);
	echo strlen($html), "\n", $html;
}
