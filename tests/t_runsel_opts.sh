#!/bin/bash
# runsel's command line: strace's options mapped onto the wrappers'
# (checked through --dry-run: the request $RUNSEL_RUN it would set, and
# the loader's command line), the errors strace users get for what runsel
# does not do (exit 2, naming the option), -o FILE truncated once as
# strace does, unknown wrapper options refused by runsel (2) and, for a
# selected.conf entry, when the program starts (126) and by selctl check,
# and --help and README listing the same options.
. "$SRC/tests/lib/common.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
RS=$BUILD/bin/runsel                 # not $RUNSEL: its -b/--no-fastpath would be in the spec
W=$TMP/w && mkdir -p "$W" && cd "$W" || exit 1
has() { grep -qF -- "$1" <<<"$2"; }
cond() { eval "$1"; }

# ---- the mapping: ARGS | the $RUNSEL_RUN it gives (@ is this directory)
while IFS='|' read -r args want; do
    [ -n "$args$want" ] || continue
    want=${want//@/$W}
    got=$(eval "\"\$RS\" --dry-run $args -- true" 2>/dev/null | sed -n 's/^RUNSEL_RUN=//p')
    check "runsel $args -> $want" test "$got" = "$want"
done <<'T'
|?trace
-w trace|trace
-w null -w trace|null + trace
-o log=x|?trace log=@/x
-f|trace follow=yes
-o out|trace log=@/out follow=no inherit=no
-o ./a=b|trace log=@/./a=b follow=no inherit=no
--output=log=x|trace log=@/log=x follow=no inherit=no
-ff -o out|trace log=@/out.%p follow=yes
-f -f -o /tmp/abs|trace log=/tmp/abs.%p follow=yes
-f -o /tmp/abs|trace log=/tmp/abs follow=yes
-s 64|trace follow=no strsize=64 inherit=no
-s64 -f|trace follow=yes strsize=64
--string-limit=0 -f|trace follow=yes strsize=0
-f -e trace=%file|trace follow=yes trace=%file
-f -e t=openat,close|trace follow=yes trace=openat,close
-f -e openat|trace follow=yes trace=openat
-f -etrace=openat|trace follow=yes trace=openat
-f --trace=openat|trace follow=yes trace=openat
-f -e trace=openat -e trace=close|trace follow=yes trace=close
-f -e 'trace=!%desc,?nosuch'|trace follow=yes trace=!%desc
-f -e 'trace=?nosuch'|trace follow=yes trace=none
-f -e trace=257,open@64|trace follow=yes trace=openat,open
-f -e trace=%%stat,%net,%pure,all|trace follow=yes trace=%%stat,%net,%pure,all
-f -e 'trace=/^clos'|trace follow=yes trace=close,close_range
-f -e 'trace=?/^nosuch,dup'|trace follow=yes trace=dup
-f -e 'trace=/.'|trace follow=yes trace=all
-f -e 'trace=!/.'|trace follow=yes trace=none
-f -e status=failed|trace follow=yes status=failed
-f -e 'status=!successful,detached'|trace follow=yes status=!successful,detached
-f --status=unfinished,unavailable|trace follow=yes status=unfinished,unavailable
-f -z|trace follow=yes status=successful
-f -Z|trace follow=yes status=failed
-f -z -Z|trace follow=yes status=failed
-f -Z --successful-only|trace follow=yes status=successful
-f -e 'signal=!SIGINT,term,9'|trace follow=yes signal=!SIGINT,term,9
-f -e signals=all|trace follow=yes signal=all
-f -e s=RT_3,rtmin,0,255|trace follow=yes signal=RT_3,rtmin,0,255
-f --signal=none|trace follow=yes signal=none
-f -t|trace follow=yes time=t
-f -tt|trace follow=yes time=tt
-f -t -t|trace follow=yes time=tt
-f -ttt|trace follow=yes time=ttt
-f -tttt|trace follow=yes time=ttt
-f -r|trace follow=yes relative=yes
-f --relative-timestamps|trace follow=yes relative=yes
-f -T|trace follow=yes syscall-times=yes
-f --syscall-times|trace follow=yes syscall-times=yes
-f -y|trace follow=yes decode-fds=path
-f -yy|trace follow=yes decode-fds=all
-f -y -y -y|trace follow=yes decode-fds=all
-f --decode-fds|trace follow=yes decode-fds=path
-f --decode-fds=path,socket,dev,pidfd|trace follow=yes decode-fds=all
-f --decode-fds=dev,path|trace follow=yes decode-fds=path,dev
-f -e decode-fds=socket|trace follow=yes decode-fds=socket
-f -v|trace follow=yes verbose=yes
-f --no-abbrev|trace follow=yes verbose=yes
-f -x|trace follow=yes xstrings=non-ascii
-f -xx|trace follow=yes xstrings=all
-f -X raw|trace follow=yes xlat=raw
-f -Xabbrev|trace follow=yes xlat=abbrev
-f --const-print-style=verbose|trace follow=yes xlat=verbose
-f -q|trace follow=yes quiet=1
-f -qq|trace follow=yes quiet=2
-f -qqq|trace follow=yes quiet=2
-f --decode-pids=comm|trace follow=yes decode-pids=comm
-f -Y|trace follow=yes decode-pids=comm
-fttT|trace follow=yes time=tt syscall-times=yes
-yyfs 9|trace follow=yes strsize=9 decode-fds=all
-c|count inherit=no
-c -f|count
--summary-only|count inherit=no
-c -o out|count log=@/out inherit=no
-c -S calls -U name,calls -w|count sort=calls columns=name,calls latency=yes inherit=no
-cw|count latency=yes inherit=no
-c --summary-wall-clock --summary-sort-by=nothing|count sort=nothing latency=yes inherit=no
-c -S max-time --summary-columns=time-percent,total-time,min-time,max-time,avg-time,errors|count sort=max-time columns=time-percent,total-time,min-time,max-time,avg-time,errors inherit=no
-C|trace follow=no inherit=no + count
-C -f -o out -S name|trace log=@/out follow=yes + count log=@/out sort=name
--summary -f|trace follow=yes + count
-S calls|trace follow=no inherit=no
-f -e inject=openat:error=ENOENT:when=3+|trace follow=yes + fault inject=openat:ENOENT:when=3+
-f -e inject=read,write:retval=0|trace follow=yes + fault inject=read:retval=0,write:retval=0
-f -e inject=getppid:retval=-1:when=2..4+2|trace follow=yes + fault inject=getppid:retval=-1:when=2..4+2
-f -e fault=openat|trace follow=yes + fault inject=openat:ENOSYS
-f -e fault=openat:error=eacces|trace follow=yes + fault inject=openat:EACCES
-f -e inject=openat:error=13|trace follow=yes + fault inject=openat:13
-f -e inject=%file:error=EIO:when=2..4|trace follow=yes + fault inject=%file:EIO:when=2..4
-f -e 'inject=/^getpp:error=EPERM'|trace follow=yes + fault inject=getppid:EPERM
-f -e inject=getppid:error=EPERM -e fault=getpid|trace follow=yes + fault inject=getppid:EPERM,getpid:ENOSYS
-f --inject=getppid:error=EPERM|trace follow=yes + fault inject=getppid:EPERM
-c -e inject=getppid:error=EPERM|count inherit=no + fault inject=getppid:EPERM
-C -f -e inject=getppid:error=EPERM|trace follow=yes + count + fault inject=getppid:EPERM
-w trace -w fault -e inject=getppid:error=EPERM -f|trace follow=yes + fault inject=getppid:EPERM
-w trace -w null -f -tt|trace follow=yes time=tt + null
-w null -w trace -tt|null inherit=no + trace follow=no time=tt
-w sandbox -w trace -tt|sandbox + trace follow=no time=tt
-w count -S calls|count sort=calls inherit=no
-w count -f -o out|count log=@/out
-w trace -o strsize=9 -s 64 -f|trace follow=yes strsize=64 strsize=9
-o inherit=no -tt|trace follow=no time=tt inherit=no
-b sud -tt|trace follow=no time=tt backend=sud inherit=no
--no-fastpath -f|trace follow=yes fastpath=no
-A -o out -f|trace log=@/out follow=yes
T

# ---- what --dry-run prints besides the request
out=$("$RS" --dry-run -o out -- true)
check "--dry-run: -o FILE is truncated once (a 'truncate' line), nothing else happens" \
    cond 'has "truncate $W/out" "$out" && [ ! -e out ]'
out=$("$RS" --dry-run -A -o out -- true)
check "  not with -A" cond '! has truncate "$out"'
out=$("$RS" --dry-run -ff -o out -- true)
check "  nor with -ff (a FILE.PID each)" cond '! has truncate "$out"'
out=$("$RS" --dry-run -w null -- true a b)
check "--dry-run prints the loader's command line" \
    test "$(tail -1 <<<"$out")" = "exec $BUILD/bin/runsel-loader -0 true /usr/bin/true a b"
printf '#!/bin/sh\necho hi\n' >script && chmod 755 script
out=$("$RS" --dry-run -w null -- ./script x)
check "  with a #! script unwrapped" test "$(tail -1 <<<"$out")" = "exec $BUILD/bin/runsel-loader -0 /bin/sh /bin/sh ./script x"

# ---- errors: ARGS | the message (exit 2)
while IFS='|' read -r args want; do
    [ -n "$args" ] || continue
    out=$(eval "\"\$RS\" --dry-run $args -- true" 2>&1); rc=$?
    check "runsel $args: exit 2, '$want'" cond '[ $rc -eq 2 ] && has "$want" "$out"'
done <<'T'
-p 1|-p PID attaches to a running process: no PROGRAM with it
--attach=1|-p PID attaches to a running process: no PROGRAM with it
-p x|-p x: not a process id
--attach=0|--attach 0: not a process id
-p 1,99999999|-p 1,99999999: not a process id
-k|-k: strace's option, not supported by runsel
-D|-D: strace's option, not supported by runsel
-Q|unknown option -Q
--bogus|unknown option --bogus
--follow-forks=yes|option --follow-forks takes no value
-e trace=nosuch|invalid system call 'nosuch'
-e nosuch|invalid system call 'nosuch'
-e trace=|invalid system call ''
-e trace=open,|invalid system call ''
-e trace=%nosuch|invalid system call '%nosuch'
-e trace=%FILE|invalid system call '%FILE'
-e 'trace=/zzz'|invalid system call '/zzz'
-e 'trace=/('|regcomp: (:
-e 'trace=?/('|regcomp: (:
-e trace=open@32|runsel selects x86-64 calls only
-e status=bogus|status: invalid value 'bogus'
-e status=|status: invalid value ''
-e signal=FOO|invalid signal 'FOO'
-e signal=256|invalid signal '256'
-e signal=RT_33|invalid signal 'RT_33'
-e signal=SIGIOT|invalid signal 'SIGIOT'
-e abbrev=all|-e abbrev=: strace's qualifier, not supported by runsel
-e quiet=all|-e quiet=: strace's qualifier, not supported by runsel
-e decode-fds=foo|invalid decode-fds 'foo'
-y -e decode-fds=socket|-y and --decode-fds cannot be provided simultaneously
-e inject=openat|invalid inject argument 'openat' (give error=ERRNO or retval=N)
-e inject=openat:error=ENOTHING|invalid inject error 'ENOTHING'
-e inject=openat:error=0|invalid inject error '0'
-e inject=openat:error=4096|invalid inject error '4096'
-e inject=openat:error=EIO:retval=1|(one error= or retval=)
-e inject=openat:retval=x|invalid inject argument 'openat:retval=x'
-e inject=openat:error=EIO:when=0|when=0: FIRST[..LAST][+[STEP]]
-e inject=openat:error=EIO:when=3..2|when=3..2: FIRST[..LAST][+[STEP]]
-e inject=openat:error=EIO:when=2+0|when=2+0: FIRST[..LAST][+[STEP]]
-e inject=openat:error=EIO:when=65536|when=65536: FIRST[..LAST][+[STEP]]
-e inject=openat:error=EIO:signal=SIGSEGV|-e inject=...:signal=SIGSEGV: not supported by runsel
-e inject=openat:error=EIO:delay_enter=1|-e inject=...:delay_enter=1: not supported by runsel
-e inject=exit_group:error=EIO|exit_group cannot be made to fail
-e inject=nosuch:error=EIO|invalid system call 'nosuch'
-e 'inject=/^exit:error=EPERM'|/^exit: matches only calls that cannot be made to fail
-e fault=openat:retval=1|(-e fault= takes error=, not retval=)
-s -1|invalid -s argument: '-1'
-s x|invalid -s argument: 'x'
-X RAW|-X: invalid value 'RAW'
--decode-pids=pidns|invalid decode-pids 'pidns'
-c -S foo|sortby: invalid value 'foo'
-c -U foo|column: invalid value 'foo'
-U calls|-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)
--summary-wall-clock|--summary-wall-clock must be given with
-c -ff|(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive
-C -ff -o out|are mutually exclusive
-w trace -c|-c chooses the wrappers (count): it cannot be combined with -w WRAPPER
-w null -tt|need a trace wrapper in the stack given with -w
-w null -S calls|need a count wrapper in the stack given with -w
-w null -e inject=getppid:error=EIO|need a fault wrapper in the stack given with -w
-w null -o out|no trace or count wrapper in the stack given with -w
-o '!cat'|piping the output to a command is not supported
-o 'a b'|blanks and '#' cannot be passed to a wrapper
-o 'a#b'|blanks and '#' cannot be passed to a wrapper
-w fault -o injct=1|fault: unknown option injct (known: inject, rate, seed, verbose, log, format)
-w null -o x=1|null: unknown option x (it takes none)
-w sandbox -o allow_write=/tmp|sandbox: unknown option allow_write (known: allow-write, allow-exec
-w null -w fault -o inject=getppid:EIO -o rate=1 -o sede=1|fault: unknown option sede
T
out=$("$RS" --dry-run -w null -o inherit=no -o syscalls=read -o fastpath=no -o backend=sud -- true 2>&1)
check "runsel's own keys are allowed on any wrapper (null takes none of its own)" \
    test "$(head -1 <<<"$out")" = "RUNSEL_RUN=null inherit=no syscalls=read fastpath=no backend=sud"
out=$("$RS" --dry-run -o '|cat' -- true 2>&1); rc=$?
check "runsel -o '|cat': exit 2, piping not supported" \
    cond '[ $rc -eq 2 ] && has "piping the output to a command is not supported" "$out"'
out=$("$RS" -s 2>&1); rc=$?
check "an option without its value: exit 2" cond '[ $rc -eq 2 ] && has "option -s needs a value" "$out"'
out=$("$RS" --dry-run -f 2>&1); rc=$?
check "no PROGRAM: exit 2" test $rc -eq 2
out=$("$RS" --dry-run -S calls -- true 2>&1 >/dev/null)
check "-S without -c or -C: a warning, as strace's" has "-S/--summary-sort-by has no effect without" "$out"
out=$("$RS" -w null -o x=1 -- sh -c "touch '$W/ran'" 2>&1); rc=$?
check "an unknown option: the program does not run" cond '[ $rc -eq 2 ] && [ ! -e ran ]'

# ---- -o FILE is truncated once, at start; the wrappers append
printf 'old line\n' >t1.log
"$RUNSEL" -o t1.log -- /bin/true 2>/dev/null
check "-o FILE: what was in FILE is gone, the trace is there" \
    cond '! grep -q "old line" t1.log && grep -q "exited with 0" t1.log'
printf 'old line\n' >t2.log
"$RUNSEL" -A -o t2.log -- /bin/true 2>/dev/null
check "-A -o FILE: appended to" cond '[ "$(head -1 t2.log)" = "old line" ] && grep -q "exited with 0" t2.log'
"$RUNSEL" -f -o t3.log -- /bin/sh -c '/bin/true; /bin/true; exit 0' 2>/dev/null
check "-f -o FILE: the processes (and exec'd programs) append to it after the one truncation" \
    test "$(grep -c 'exited with 0' t3.log)" -eq 3
printf 'keep\n' >target && ln -s target link.log
"$RUNSEL" -o link.log -- /bin/true 2>/dev/null; rc=$?
check "-o SYMLINK: nothing truncated through it (the wrapper refuses it: 126)" \
    cond '[ $rc -eq 126 ] && [ "$(cat target)" = keep ]'
if [ "$(id -u)" = 0 ]; then
    mkdir -m 1777 sticky && printf 'theirs\n' >sticky/other.log && chown nobody sticky/other.log
    "$RUNSEL" -o sticky/other.log -- /bin/true 2>/dev/null; rc=$?
    check "-o another user's file in a sticky directory: not truncated (the wrapper refuses it)" \
        cond '[ $rc -eq 126 ] && [ "$(cat sticky/other.log)" = theirs ]'
else
    skip "-o another user's file in a sticky directory: needs root to make one"
fi

# ---- without -f nothing is followed; with -f the children are
"$RUNSEL" -o nf.log -- /bin/sh -c '/bin/true; exit 0' 2>/dev/null
check "without -f: the program exec'd by the traced one's child runs unwrapped (inherit=no)" \
    test "$(grep -c 'exited with 0' nf.log)" -eq 1
"$RUNSEL" -f -o f.log -- /bin/sh -c '/bin/true; exit 0' 2>/dev/null
check "  with -f it is traced" test "$(grep -c 'exited with 0' f.log)" -eq 2

# ---- -e inject= stacks fault under trace: the injected result is traced
"$RUNSEL" -o inj.log -e inject=getppid:error=ESRCH -- "$PY" -c 'import os
try: os.getppid()
except OSError: pass' 2>/dev/null
check "-e inject=getppid:error=ESRCH: traced as strace shows it, (INJECTED)" \
    grep -Eq '^getppid\(\) += -1 ESRCH \(No such process\) \(INJECTED\)$' inj.log
"$RUNSEL" -o inj2.log -e inject=getppid:retval=42 -- "$PY" -c 'import os; os.getppid()' 2>/dev/null
check "-e inject=getppid:retval=42: the call returns 42 without being made" \
    grep -Eq '^getppid\(\) += 42 \(INJECTED\)$' inj2.log

# ---- an unknown key in selected.conf: refused when the program starts,
# and by selctl check
chmod 755 "$TMP" "$W"
printf '/usr/bin/true fault inject=getppid:EIO injct=1\n' >list
out=$("$RUNSEL" --config list -- /usr/bin/true 2>&1); rc=$?
check "a selected.conf entry with an unknown key: the exec fails (126), naming it" \
    cond '[ $rc -eq 126 ] && has "wrapper fault: unknown option injct (known: inject, rate, seed, verbose, log, format)" "$out"'
out=$(RUNSEL_CONFIG=$W/list RUNSEL_WRAPPER_DIR=$BUILD/bin/wrappers "$LOADER" /usr/bin/true 2>&1); rc=$?
check "  so through the loader alone too" cond '[ $rc -eq 126 ] && has "unknown option injct" "$out"'
out=$(RUNSEL_WRAPPER_DIR=$BUILD/bin/wrappers "$SELCTL" -c list check); rc=$?
check "  and selctl check says so (exit 1)" \
    cond '[ $rc -eq 1 ] && has "list:1: fault: unknown option injct (known: inject, rate, seed, verbose, log, format)" "$out"'
printf '/usr/bin/true fault inject=getppid:EIO rate=1\n' >list
out=$("$RUNSEL" --config list -- /usr/bin/true 2>&1); rc=$?
check "  (with known keys it runs)" test $rc -eq 0

# ---- a wrapper's declared keys, as the image carries them
for w in fault sandbox null; do
    readelf -nW "$BUILD/bin/wrappers/$w.so" | grep -q 'Unknown note type: (0x00000003)'
    check "$w.so carries its option keys (an ELF note of type 3)" test $? -eq 0
done

# ---- --help and README list the same options
help_opts() { "$RS" --help | grep -E '^  -' | sed -E 's/^  //; s/  .*//' | tr ',' '\n' |
              sed -E 's/^ *//; s/[ =\[].*//' | sort -u; }
readme_opts() { sed -n '/^<!-- runsel options -->/,/^<!-- end of runsel options -->/p' "$SRC/README.md" |
                grep -E '^\|' | sed 's/\\|/ /g' | cut -d'|' -f2 | grep -oE '(^|[ `,])--?[A-Za-z][a-z-]*' |
                sed -E 's/^[ `,]//' | sort -u; }
diff <(help_opts) <(readme_opts) >"$TMP/opts.diff"
check "runsel --help and README's table list the same options" test ! -s "$TMP/opts.diff"
[ -s "$TMP/opts.diff" ] && cat "$TMP/opts.diff"
check "  (and there are some: $(help_opts | wc -l))" test "$(help_opts | wc -l)" -gt 40
