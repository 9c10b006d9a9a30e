// fpgo — a Go program for tests/t_fastpath.sh: it knows exactly how many
// getppid calls it makes, through syscall.Getppid (the Go runtime's own
// SYSCALL instruction, whose number comes from a register: not a site the
// fast path rewrites, so every call must still reach the wrapper).
//
//	fpgo getppid N       N syscall.Getppid() calls on one goroutine
//	fpgo threads G N     G goroutines locked to OS threads, N calls each
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

func calls(n int, want int) int {
	wrong := 0
	for i := 0; i < n; i++ {
		if syscall.Getppid() != want {
			wrong++
		}
	}
	return wrong
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: fpgo getppid N | threads G N")
		os.Exit(2)
	}
	// the reference: /proc, so that the program's getppid calls are its N
	want := 0
	if st, err := os.ReadFile("/proc/self/stat"); err == nil {
		// pid (comm) state ppid ...: comm may hold spaces, cut after ')'
		i := len(st) - 1
		for i > 0 && st[i] != ')' {
			i--
		}
		fmt.Sscanf(string(st[i+2:]), "%c %d", new(byte), &want)
	}
	wrong := 0
	switch os.Args[1] {
	case "getppid":
		n, _ := strconv.Atoi(os.Args[2])
		wrong = calls(n, want)
		fmt.Println("go getppid calls", n, "wrong", wrong)
	case "threads":
		g, _ := strconv.Atoi(os.Args[2])
		n, _ := strconv.Atoi(os.Args[3])
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < g; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				runtime.LockOSThread()
				w := calls(n, want)
				mu.Lock()
				wrong += w
				mu.Unlock()
			}()
		}
		wg.Wait()
		fmt.Println("go threads getppid calls", g*n, "wrong", wrong)
	}
	if wrong != 0 {
		os.Exit(1)
	}
}
