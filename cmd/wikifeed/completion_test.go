package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// completionPath makes a directory with a "wikifeed" that is this test
// binary run as the program, for the shells to find on $PATH, and returns
// the environment that puts it first.
func completionPath(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Symlink(os.Args[0], filepath.Join(dir, "wikifeed")); err != nil {
		t.Fatal(err)
	}
	return append(os.Environ(), asMainEnv+"=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "XDG_CACHE_HOME="+t.TempDir())
}

// TestCompletionScripts loads each shell's completion script in that
// shell and asks it to complete "wikifeed li" and a flag's values: the
// scripts must load without a word on stderr and answer through
// 'wikifeed __complete'. CI installs bash-completion, zsh and fish;
// elsewhere a missing shell skips its case.
func TestCompletionScripts(t *testing.T) {
	cases := []struct {
		shell  string
		script string
		want   []string
	}{
		{"bash", `source /usr/share/bash-completion/bash_completion || exit 1
source <(wikifeed completion bash) || exit 1
complete -p wikifeed >/dev/null || exit 1
# compopt works only inside a completion that readline started.
compopt() { :; }
COMP_WORDS=(wikifeed li); COMP_CWORD=1; COMP_LINE="wikifeed li"; COMP_POINT=${#COMP_LINE}
__start_wikifeed wikifeed li wikifeed
echo "words: ${COMPREPLY[*]}"
COMP_WORDS=(wikifeed show --format ''); COMP_CWORD=3; COMP_LINE="wikifeed show --format "; COMP_POINT=${#COMP_LINE}
COMPREPLY=()
__start_wikifeed wikifeed '' --format
echo "formats: ${COMPREPLY[*]}"`, []string{"words: list", "formats: ansi plain markdown source"}},
		{"zsh", `autoload -U compinit && compinit -u -D || exit 1
source <(wikifeed completion zsh) || exit 1
(( $+functions[_wikifeed] )) || { echo no _wikifeed; exit 1; }
echo loaded`, []string{"loaded"}},
		{"fish", `wikifeed completion fish | source; or exit 1
complete -C 'wikifeed li'
complete -C 'wikifeed show --format '`, []string{"list\t", "markdown"}},
	}
	for _, c := range cases {
		t.Run(c.shell, func(t *testing.T) {
			sh := testwiki.NeedTool(t, c.shell, "apt-get install "+c.shell)
			if c.shell == "bash" {
				// cobra's bash script uses bash-completion's helpers, as
				// every interactive bash with completions has them.
				if _, err := os.Stat("/usr/share/bash-completion/bash_completion"); err != nil {
					testwiki.Missing(t, "bash-completion is not installed (apt-get install bash-completion)")
				}
			}
			args := []string{"-c", c.script}
			if c.shell == "zsh" {
				args = []string{"-f", "-c", c.script}
			}
			cmd := exec.Command(sh, args...)
			cmd.Env = completionPath(t)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\nstdout: %s\nstderr: %s", c.shell, err, out, stderr.String())
			}
			if stderr.Len() > 0 {
				t.Errorf("%s printed on stderr:\n%s", c.shell, stderr.String())
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("%s: output lacks %q:\n%s", c.shell, w, out)
				}
			}
		})
	}
}
