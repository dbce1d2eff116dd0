<?php
// Writes wikidiff2's table rows for a scripted edit of the page text in
// argv[1]: a paragraph moved down with a word changed, one moved up, a
// word changed.
$old = file_get_contents($argv[1]);
$l = explode("\n", $old);
$moved = str_replace("{{Pl.}}", "{{Plural}}", $l[17]);
$new = array_merge(array_slice($l, 0, 17), array_slice($l, 18, 11), [$moved], array_slice($l, 29));
$up = $new[40]; array_splice($new, 40, 1); array_splice($new, 5, 0, [$up]);
$new[1] = str_replace("Hallo", "Hallo!", $new[1]);
echo wikidiff2_do_diff($old, implode("\n", $new), 2);
