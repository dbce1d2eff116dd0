<?php
// extract.php TEST.phpt OUTDIR: runs the test's --FILE-- section with the
// wikidiff2 calls replaced by a function that records their inputs.
$src = file_get_contents($argv[1]);
$name = basename($argv[1], '.phpt');
preg_match('/--FILE--\n(.*?)\n--EXPECT/s', $src, $m);
$code = $m[1];
$code = preg_replace('/\bwikidiff2_(do_diff|inline_diff|inline_json_diff)\s*\(/', 'capture(', $code);
$code = preg_replace('/^<\?php/', '', $code);
$GLOBALS['seen'] = [];
function capture($a, $b, ...$rest) {
	global $seen, $name, $outdir;
	$k = md5($a . "\0" . $b);
	if (!isset($seen[$k])) {
		$seen[$k] = count($seen) + 1;
		$n = sprintf('%s/%s-%d', $outdir, $name, $seen[$k]);
		file_put_contents("$n.old", $a);
		file_put_contents("$n.new", $b);
	}
	return '';
}
$outdir = $argv[2];
ob_start();
eval($code);
ob_end_clean();
fwrite(STDERR, "$name: " . count($seen) . " pairs\n");
