package wikiapi

import goflag "flag" // the package has a func named flag

// update is the -update flag of 'go test ./... -update', which rewrites the
// golden files of the packages that have them. This package has none; it
// takes the flag so that the command runs here too.
var _ = goflag.Bool("update", false, "rewrite golden files (this package has none)")
