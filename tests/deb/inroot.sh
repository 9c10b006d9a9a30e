#!/bin/bash
# inroot.sh TMP DEBS SRC — run as root in a private mount namespace
# (unshare -m) by tests/t_deb.sh.  Builds a throw-away root from the
# machine's own: an overlay whose lower layer is / and whose upper layer,
# on a tmpfs, collects every file the packages write.  pivot_root (not
# chroot: user namespaces cannot be made in a chroot) makes it the root,
# and stage.sh runs there in a user namespace mapping ids 0..65535 onto
# themselves, with a private binfmt_misc: the maintainer scripts and
# selctl register --global reach only this root's /etc and that instance,
# never the machine's.  What the upper layer holds after the purge, beyond
# dpkg's own records, is what the packages left behind.
set -u
T=$1 DEBS=$2 SRC=$3
ov=$T/ov
mkdir -p "$ov" && mount -t tmpfs tmpfs "$ov" && mkdir "$ov/upper" "$ov/work" "$ov/root" || exit 3
mount -t overlay overlay -o "lowerdir=/,upperdir=$ov/upper,workdir=$ov/work" "$ov/root" || exit 3
R=$ov/root
mount -t proc proc "$R/proc" && mount --rbind /dev "$R/dev" && mount --rbind /sys "$R/sys" &&
    mount -t tmpfs tmpfs "$R/tmp" && mount -t tmpfs tmpfs "$R/run" || exit 3
mkdir "$R/tmp/debs" && cp "$DEBS"/*.deb "$R/tmp/debs/" && cp "$SRC/tests/deb/stage.sh" "$R/tmp/" &&
    cp -r "$SRC/wrapperabi/examples" "$R/tmp/examples" || exit 3
mkdir -p "$R/.old" && cd "$R" && pivot_root . .old && cd / || exit 3
up=/.old$ov/upper

# Files of the root (not directories) the upper layer holds: written, or
# deleted (whiteouts, character devices 0:0).  dpkg's database and logs
# and the caches its triggers refresh are dpkg's, not the packages'; so is
# depmod's index of a kernel's modules (modules.dep, modules.alias, ...),
# which dkms has depmod rebuild when it removes a module: on a machine
# with that kernel installed the index exists before and is only rewritten.
files() {
    (cd "$up" && find . ! -type d) | sed 's|^\.||' |
        grep -Ev '^/(var/lib/dpkg/|var/log/|var/cache/(man|debconf|ldconfig)/|etc/ld\.so\.cache$|\.old$)' |
        grep -Ev '^/usr/lib/modules/[^/]+/modules\.[a-z.]+$' |
        sort
}
files >/tmp/before
# The ids are mapped from here, as root may (unshare's --map-users needs
# newuidmap and /etc/subuid entries); the stage waits on a FIFO until then.
mkfifo /tmp/go
unshare --user --mount --propagation private bash -c 'read -r _ </tmp/go && exec bash /tmp/stage.sh' &
pid=$!
for _ in $(seq 200); do
    [ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] && break
    sleep 0.05
done
echo "0 0 65536" >"/proc/$pid/uid_map" && echo "0 0 65536" >"/proc/$pid/gid_map" || kill "$pid"
echo go >/tmp/go
wait "$pid"
echo "stage-rc=$?"
files >/tmp/after
comm -13 /tmp/before /tmp/after | sed 's/^/left: /'
