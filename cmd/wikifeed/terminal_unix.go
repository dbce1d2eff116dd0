//go:build unix

package main

import (
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// queryBackgroundOn asks the terminal f for its background colour and
// waits at most timeout for the answer. It waits with poll(2) on the
// descriptor rather than with a read deadline, which Go drops once a
// file's descriptor has been taken (f.Fd), so that no read can block.
func queryBackgroundOn(f *os.File, timeout time.Duration) (dark, answered bool) {
	fd := int(f.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return true, false
	}
	defer term.Restore(fd, state) //nolint:errcheck // nothing more to do
	if _, err := io.WriteString(f, queryBG+queryDA1); err != nil {
		return true, false
	}
	deadline := time.Now().Add(timeout)
	var got []byte
	buf := make([]byte, 256)
	for len(got) < 4096 {
		left := time.Until(deadline)
		if left <= 0 {
			return true, false
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 || fds[0].Revents&unix.POLLIN == 0 {
			return true, false
		}
		n, err = unix.Read(fd, buf)
		if n > 0 {
			got = append(got, buf[:n]...)
		}
		if c, ok := backgroundAnswer(got); ok {
			return isDark(c), true
		}
		if daAnswered(got) || err != nil || n <= 0 {
			return true, false
		}
	}
	return true, false
}
