#!/bin/bash
# A sweep over the machine's own programs: every 8th ELF executable in
# /usr/bin run with --version (stdin from /dev/null, 2 s limit), natively and
# under the loader; exit status and stdout must be the same.  Programs that
# act on the system, wait for input or are set-user/group-ID (the loader
# refuses those when run directly, see t_loader.sh) are skipped.  A
# difference is re-checked natively once, to rule out output that changes
# from run to run.
. "$SRC/tests/lib/common.sh"
skip_names='^(reboot|halt|poweroff|shutdown|init|telinit|runlevel|kill.*|pkill|killall.*|xdg.*|sleep|yes|top|htop|watch|less|more|vi.*|nano|ed|ex|script.*|login|su|sudo|passwd|ch(sh|fn)|newgrp|sg|.*getty|sulogin|swap.*|mkfs.*|fsck.*|mkswap|wall|write|mesg|ssh.*|dhclient|ip|tc|nstat|bridge|ss|mount|umount|unshare|nsenter|chroot|setsid|runuser|start-stop-daemon|systemctl|journalctl|loginctl|busctl|udevadm|modprobe|insmod|rmmod|depmod|kmod|lsmod|qemu.*|perf.*|gdb.*|valgrind.*|chromium.*|node|npm|npx|python.*|perl.*|dockerd?|containerd.*|X.*)$'
run() { timeout 2 "$@" --version </dev/null 2>/dev/null | md5sum; echo "${PIPESTATUS[0]}"; }
# Run where stray files some programs write (into the cwd) cannot land in
# the source tree.
cd "$TMP" || exit 1
n=0 same=0 i=0
for p in /usr/bin/*; do
    i=$((i + 1))
    [ $((i % 8)) -eq 0 ] || continue
    [ -f "$p" ] && [ -x "$p" ] && [ ! -u "$p" ] && [ ! -g "$p" ] || continue
    [[ $(basename "$p") =~ $skip_names ]] && continue
    [ "$(head -c4 "$p" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    n=$((n + 1))
    native=$(run "$p"); loaded=$(run "$LOADER" "$p")
    if [ "$native" = "$loaded" ]; then
        same=$((same + 1))
    elif [ "$(run "$p")" != "$native" ]; then
        same=$((same + 1))      # not deterministic natively either
    else
        nok "sweep: $p --version differs (native: $(tr '\n' ' ' <<<"$native"), loader: $(tr '\n' ' ' <<<"$loaded"))"
    fi
done
check "sweep: $same of $n programs in /usr/bin behave the same under the loader" test "$same" -eq "$n" -a "$n" -gt 50
