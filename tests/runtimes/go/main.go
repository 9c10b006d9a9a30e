// goprog — a Go program for tests/t_runtimes.sh: each mode prints output
// that is the same natively and under runsel, and knows exactly how many
// of some system calls it made.
//
//	goprog locked     8 goroutines locked to OS threads make system calls
//	                  while the collector runs (the crash of issue #11)
//	goprog features   threads, preemption, os/exec, signal.Notify, files
//	goprog raw N      N getppid calls through syscall.RawSyscall
//	goprog child      what `features` runs through os/exec
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// sink keeps allocations alive long enough to make the collector work
// (its stop-the-world phases preempt goroutines with SIGURG).
var sink atomic.Value

func churn(n int) {
	for i := 0; i < n; i++ {
		b := make([]byte, 1024+i%4096)
		b[0] = byte(i)
		sink.Store(b)
	}
}

// locked: goroutines wired to their own threads make system calls — both
// entersyscall ones and raw ones, which preemption signals can interrupt.
func locked() {
	const threads, calls = 8, 3000
	var wg sync.WaitGroup
	var total int64
	ppid := syscall.Getppid()
	for i := 0; i < threads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for j := 0; j < calls; j++ {
				p := syscall.Getppid()
				r, _, _ := syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
				if p != ppid || int(r) != ppid {
					fmt.Println("wrong getppid result")
					os.Exit(1)
				}
				if j%64 == 0 {
					churn(16)
				}
				atomic.AddInt64(&total, 2)
			}
		}()
	}
	go churn(200000)
	wg.Wait()
	fmt.Println("locked: calls", total)
}

// spin keeps CPU-bound goroutines running without function calls, so only
// asynchronous preemption (SIGURG) lets the others run.
func spin(stop *int32) int {
	n := 0
	for atomic.LoadInt32(stop) == 0 {
		n++
	}
	return n
}

func preemption() {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	var stop int32
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); spin(&stop) }()
	}
	// Needs the spinning goroutines to be preempted to be scheduled at all.
	done := make(chan bool)
	go func() { time.Sleep(50 * time.Millisecond); done <- true }()
	<-done
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	fmt.Println("preemption: spinning goroutines were preempted")
}

func threads() {
	var wg sync.WaitGroup
	var ids sync.Map
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			ids.Store(syscall.Gettid(), true)
			time.Sleep(20 * time.Millisecond)
			// exits its thread: the goroutine ends locked
		}()
	}
	wg.Wait()
	n := 0
	ids.Range(func(k, v interface{}) bool { n++; return true })
	fmt.Println("threads: distinct OS threads", n)
}

func notify() {
	c := make(chan os.Signal, 4)
	signal.Notify(c, syscall.SIGUSR1, syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	fmt.Println("notify: got", <-c)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	fmt.Println("notify: got", <-c)
	signal.Stop(c)
}

func files(dir string) {
	p := filepath.Join(dir, "goprog.txt")
	if err := os.WriteFile(p, []byte("written by goprog\n"), 0o600); err != nil {
		fmt.Println("files:", err)
		return
	}
	b, err := os.ReadFile(p)
	os.Remove(p)
	fmt.Printf("files: read back %q %v\n", b, err)
}

func children(self string) {
	out, err := exec.Command(self, "child", "one").Output()
	fmt.Printf("exec: %q %v\n", out, err)
	cmd := exec.Command("/bin/sh", "-c", "exit 3")
	err = cmd.Run()
	fmt.Println("exec: sh status", cmd.ProcessState.ExitCode(), err)
}

func features() {
	threads()
	preemption()
	notify()
	dir, _ := os.MkdirTemp("", "goprog")
	files(dir)
	os.RemoveAll(dir)
	self, _ := os.Executable()
	children(self)
	fmt.Println("cgo:", cgoCall())
	churn(100000)
	fmt.Println("features: done")
}

func raw(n int) {
	for i := 0; i < n; i++ {
		syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
	}
	fmt.Println("raw: getppid calls", n)
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goprog locked|features|raw N|child ARG")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "locked":
		locked()
	case "features":
		features()
	case "raw":
		n, _ := strconv.Atoi(os.Args[2])
		raw(n)
	case "child":
		fmt.Println("child says", os.Args[2])
	}
}
