// rt.rs — a Rust program for tests/t_runtimes.sh: threads, a signal
// handler, its own alternate signal stack (std sets one on every thread
// for its stack-overflow handler), child processes and file I/O.  The
// output is the same natively and under runsel.
//   rt            everything
//   rt overflow   overflow a thread's stack: std's SIGSEGV handler, on
//                 the alternate stack, reports it and aborts
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[repr(C)]
struct StackT {
    ss_sp: *mut u8,
    ss_flags: i32,
    ss_size: usize,
}

#[repr(C)]
struct SigAction {
    handler: extern "C" fn(i32),
    mask: [u64; 16],
    flags: i32,
    restorer: usize,
}

extern "C" {
    fn sigaction(sig: i32, act: *const SigAction, old: *mut SigAction) -> i32;
    fn raise(sig: i32) -> i32;
    fn sigaltstack(ss: *const StackT, old: *mut StackT) -> i32;
}

const SIGUSR1: i32 = 10;
const SS_DISABLE: i32 = 2;
const SA_ONSTACK: i32 = 0x0800_0000;
static CAUGHT: AtomicUsize = AtomicUsize::new(0);

extern "C" fn on_usr1(_sig: i32) {
    let mut here = 0u8;
    let mut st = StackT { ss_sp: std::ptr::null_mut(), ss_flags: 0, ss_size: 0 };
    unsafe { sigaltstack(std::ptr::null(), &mut st) };
    let p = &mut here as *mut u8 as usize;
    let on = st.ss_flags & SS_DISABLE == 0 && p >= st.ss_sp as usize && p < st.ss_sp as usize + st.ss_size;
    CAUGHT.store(if on { 2 } else { 1 }, Ordering::SeqCst);
}

fn altstack() -> String {
    let mut st = StackT { ss_sp: std::ptr::null_mut(), ss_flags: 0, ss_size: 0 };
    unsafe { sigaltstack(std::ptr::null(), &mut st) };
    if st.ss_flags & SS_DISABLE != 0 {
        "none".to_string()
    } else {
        format!("{} bytes", st.ss_size)
    }
}

fn recurse(n: u64) -> u64 {
    let pad = [n; 64];
    if n == 0 { 0 } else { recurse(n - 1) + pad[(n % 64) as usize] }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("overflow") {
        let t = std::thread::Builder::new().name("deep".into()).stack_size(64 * 1024)
            .spawn(|| recurse(1 << 30)).unwrap();
        let _ = t.join();
        return;
    }
    println!("main thread altstack: {}", altstack());

    let total = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..8).map(|i| {
        let total = total.clone();
        std::thread::spawn(move || {
            let path = std::env::temp_dir().join(format!("rt-rs-{}-{}", std::process::id(), i));
            let mut f = std::fs::File::create(&path).unwrap();
            for j in 0..200 { writeln!(f, "{} {}", i, j).unwrap(); }
            drop(f);
            let mut s = String::new();
            std::fs::File::open(&path).unwrap().read_to_string(&mut s).unwrap();
            std::fs::remove_file(&path).unwrap();
            total.fetch_add(s.lines().count(), Ordering::SeqCst);
            altstack()
        })
    }).collect();
    let stacks: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("threads: {} lines, altstacks {:?}", total.load(Ordering::SeqCst), stacks[0]);

    // SA_ONSTACK: it runs on the alternate stack it reads back.
    let act = SigAction { handler: on_usr1, mask: [0; 16], flags: SA_ONSTACK, restorer: 0 };
    unsafe {
        sigaction(SIGUSR1, &act, std::ptr::null_mut());
        raise(SIGUSR1);
    }
    println!("signal: handler ran, on the altstack: {}", CAUGHT.load(Ordering::SeqCst) == 2);

    let out = Command::new("/bin/sh").arg("-c").arg("echo from sh; exit 5").output().unwrap();
    println!("child: {:?} status {:?}", String::from_utf8_lossy(&out.stdout), out.status.code());
    let me = std::env::current_exe().unwrap();
    let out = Command::new(me).arg("overflow").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    println!("overflow child: signal {:?}, reported: {}", out.status.signal(),
             err.contains("has overflowed its stack"));
}
