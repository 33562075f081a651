#!/usr/bin/env bash
# Fetch Debian's riscv64 (or arm64) Linux kernel and busybox-static and build
# the Linux guest's initramfs variants.
# usage: tools/fetch-guests.sh [--refresh] [--arch riscv64|arm64] OUTDIR
#   OUTDIR gets: Image kernel-version initramfs.cpio.gz initramfs-reboot.cpio.gz
#                initramfs-shell.cpio.gz
# apt-get runs with a private configuration (own sources list, lists and
# archives) under ${TESSERA_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/apt};
# the machine's apt sources and dpkg architectures are never touched. Cached
# .debs are reused; --refresh re-reads the index and fetches newer versions.
# See docs/linux-guest.md.
set -eEuo pipefail
export LC_ALL=C

say() { echo "fetch-guests: $*"; }
die() { echo "fetch-guests: error: $*" >&2; exit 1; }

refresh=0 garch=riscv64
[ "${1:-}" = --refresh ] && { refresh=1; shift; }
[ "${1:-}" = --arch ] && { garch=${2:-}; shift 2; }
case $garch in riscv64|arm64) ;; *) echo "$0: --arch is riscv64 or arm64" >&2; exit 2 ;; esac
[ $# -eq 1 ] || { echo "usage: $0 [--refresh] [--arch riscv64|arm64] OUTDIR" >&2; exit 2; }
out=$1
self=$(readlink -f "$0")
cache=${TESSERA_APT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera/apt}
[ "$garch" = riscv64 ] || cache=$cache-$garch   # its own index; riscv64 keeps the old path
debs=$cache/archives
outputs=(Image kernel-version initramfs.cpio.gz initramfs-reboot.cpio.gz initramfs-shell.cpio.gz)
step=start
trap 'die "step \"$step\" failed (line $LINENO)"' ERR

# Newest cached .deb matching a glob (empty if none).
cached() { find "$debs" -maxdepth 1 -name "$1" 2>/dev/null | sort -V | tail -n1; }
kglob="linux-image-[0-9]*-${garch}_*_$garch.deb" bglob="busybox-static_*_$garch.deb"

step="create cache $cache"
mkdir -p "$debs/partial" "$cache/lists/partial" "$cache/etc/preferences.d" "$cache/etc/sources.list.d"
step="create OUTDIR $out"
mkdir -p "$out"
exec 9>"$cache/lock"
flock 9 # one fetcher at a time per cache

kdeb=$(cached "$kglob") bdeb=$(cached "$bglob")
if [ $refresh = 0 ] && [ -n "$kdeb" ] && [ -n "$bdeb" ]; then
	fresh=1
	for f in "${outputs[@]}"; do
		for dep in "$self" "$kdeb" "$bdeb"; do
			[ "$out/$f" -nt "$dep" ] || fresh=0
		done
	done
	[ $fresh = 0 ] || { say "$out is up to date ($(cat "$out/kernel-version"))"; exit 0; }
fi

# ---- download (only when the cache lacks a .deb, or on --refresh) ----------
apt_conf=$cache/apt.conf
priv() { "$1" -c "$apt_conf" -q "${@:2}"; }

write_apt_conf() { # $1 = suite, $2 = keyring
	echo "deb [arch=$garch signed-by=$2] $mirror $1 main" >"$cache/etc/sources.list"
	cat >"$apt_conf" <<-EOF
	Dir::Etc::sourcelist "$cache/etc/sources.list";
	Dir::Etc::sourceparts "$cache/etc/sources.list.d";
	Dir::Etc::preferences "$cache/etc/preferences";
	Dir::Etc::preferencesparts "$cache/etc/preferences.d";
	Dir::State "$cache";
	Dir::State::lists "$cache/lists";
	Dir::State::status "$cache/status";
	Dir::Cache "$cache";
	Dir::Cache::archives "$debs";
	Dir::Cache::pkgcache "";
	Dir::Cache::srcpkgcache "";
	APT::Architecture "$garch";
	APT::Architectures { "$garch"; };
	#clear APT::Update::Post-Invoke;
	#clear APT::Update::Post-Invoke-Success;
	#clear DPkg::Pre-Invoke;
	#clear DPkg::Post-Invoke;
	EOF
	touch "$cache/status"
}

# Update the private index for one suite; the log is in $cache/update.log.
update() { # $1 = suite, $2 = keyring
	write_apt_conf "$1" "$2"
	priv apt-get update --error-on=any -o APT::Architectures="$garch" >"$cache/update.log" 2>&1
}

first_error() { grep -m1 '^E: ' "$cache/update.log" | cut -c1-200; }

if [ $refresh = 1 ] || [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
	step="find the Debian mirror in the machine's apt configuration"
	# Reuse the host's own Debian mirror (the main archive, not -security/-updates).
	# shellcheck disable=SC2016 # apt expands $(...) itself
	mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' 2>/dev/null |
	         awk '$3 == "deb" && $1 ~ /\/debian\/$/ && $2 !~ /-/ { print $1; exit }')
	[ -n "$mirror" ] || die "no Debian archive (.../debian) in the machine's apt sources"

	step="find the Debian archive keyring"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	if [ ! -f "$keyring" ]; then
		say "installing debian-archive-keyring on the host"
		sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo)
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq debian-archive-keyring ||
			die "cannot install debian-archive-keyring"
	fi

	step="apt-get update ($garch, $mirror)"
	suite=trixie
	say "updating the $garch index of suite $suite from $mirror"
	ok=1
	update $suite "$keyring" || ok=0
	if [ $ok = 0 ] && grep -qE 'NO_PUBKEY|EXPKEYSIG|KEYEXPIRED' "$cache/update.log"; then
		# The host keyring does not know the key: take the newest
		# debian-archive-keyring .deb the host's apt offers (verified by the
		# host's apt) and use it extracted, not installed.
		say "the host keyring cannot verify $suite ($(first_error)); trying a newer debian-archive-keyring .deb"
		step="fetch debian-archive-keyring"
		rm -rf "$cache/keyring" && mkdir -p "$cache/keyring"
		(cd "$cache/keyring" && apt-get -q download debian-archive-keyring >/dev/null 2>&1) ||
			die "apt-get download debian-archive-keyring failed"
		dpkg-deb -x "$cache"/keyring/debian-archive-keyring_*.deb "$cache/keyring/x"
		keyring=$cache/keyring/x/usr/share/keyrings/debian-archive-keyring.gpg
		ok=1
		update $suite "$keyring" || ok=0
	fi
	if [ $ok = 0 ]; then
		say "apt-get update of suite $suite failed: $(first_error)"
		suite=stable
		say "falling back to suite $suite"
		step="apt-get update (suite stable)"
		rm -rf "$cache/lists" && mkdir -p "$cache/lists/partial"
		update $suite "$keyring" || { cat "$cache/update.log" >&2; die "apt-get update of suite stable failed (see above)"; }
		say "suite stable is codename $(priv apt-cache policy | sed -n "s/.*,n=\([a-z]*\),.*$garch.*/\1/p" | head -n1)"
	fi

	step="resolve linux-image-$garch"
	kpkg=$(priv apt-cache depends --no-recommends --no-suggests "linux-image-$garch" |
	       awk -v a="$garch" '$1 ~ /Depends:$/ && $2 ~ ("^linux-image-[0-9].*-" a "$") { print $2; exit }')
	[ -n "$kpkg" ] || die "linux-image-$garch ($garch, suite $suite) has no linux-image-*-$garch dependency"
	say "linux-image-$garch -> $kpkg"

	for pkg in "$kpkg" busybox-static; do
		step="download $pkg"
		file=$(priv apt-get download --print-uris "$pkg" | awk '{ print $2 }')
		[ -n "$file" ] || die "no $garch package $pkg in suite $suite"
		if [ ! -f "$debs/$file" ]; then
			say "downloading $file"
			(cd "$debs" && priv apt-get download "$pkg") >"$cache/download.log" 2>&1 ||
				{ cat "$cache/download.log" >&2; die "apt-get download $pkg failed (see above)"; }
		fi
		# Drop older versions so the cache holds one of each.
		case $pkg in busybox-static) g=$bglob ;; *) g=$kglob ;; esac
		find "$debs" -maxdepth 1 -name "$g" ! -name "$file" -delete
	done
	kdeb=$(cached "$kglob") bdeb=$(cached "$bglob")
fi
say "using $(basename "$kdeb") and $(basename "$bdeb")"

# ---- extract -----------------------------------------------------------------
tmp=$(mktemp -d "$out/.fetch-guests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step="extract the kernel from $(basename "$kdeb")"
mkdir -p "$tmp/k"
# riscv64 ships the Image as /boot/vmlinux-*, arm64 as /boot/vmlinuz-* (also an uncompressed Image)
kname=vmlinux; [ "$garch" = arm64 ] && kname=vmlinuz
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp/k" --wildcards "./boot/$kname-*"
vmlinux=$(find "$tmp/k/boot" -name "$kname-*" | head -n1)
[ -n "$vmlinux" ] || die "$(basename "$kdeb") has no /boot/$kname-*"
if [ "$garch" = riscv64 ]; then
	[ "$(od -An -tx1 -j48 -N12 "$vmlinux" | tr -d ' \n')" = 524953435600000052534305 ] ||
		die "$vmlinux is not a RISC-V Image (bytes 48..59 are not \"RISCV\\0\\0\\0RSC\\x05\")"
else
	[ "$(od -An -tx1 -j56 -N4 "$vmlinux" | tr -d ' \n')" = 41524d64 ] ||
		die "$vmlinux is not an arm64 Image (bytes 56..59 are not \"ARM\\x64\")"
fi
kver=${vmlinux##*/$kname-}
mv "$vmlinux" "$tmp/Image"
echo "$kver" >"$tmp/kernel-version"
say "kernel $kver: Image $(stat -c %s "$tmp/Image") bytes"

step="extract busybox from $(basename "$bdeb")"
mkdir -p "$tmp/b"
dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C "$tmp/b" --wildcards '*bin/busybox'
busybox=$(find "$tmp/b" -type f -name busybox | head -n1)
[ -n "$busybox" ] || die "$(basename "$bdeb") has no busybox binary"
machine=f300; [ "$garch" = arm64 ] && machine=b700   # e_machine: EM_RISCV, EM_AARCH64
[ "$(od -An -tx1 -N4 "$busybox" | tr -d ' \n')$(od -An -tx1 -j18 -N2 "$busybox" | tr -d ' \n')" = 7f454c46$machine ] ||
	die "$busybox is not a $garch ELF"

# The RTC alarm check is for RISC-V's passed-through RTC (no passthrough on arm64 yet).
if [ "$garch" = riscv64 ]; then
	step="build rtc-alarm"
	"${CROSS_COMPILE:-riscv64-linux-gnu-}gcc" -nostdlib -static -ffreestanding -fno-pie -no-pie -O2 \
		-Wall -Wextra -Werror -o "$tmp/rtc-alarm" "$(dirname "$self")/../tests/guests/linux/rtc-alarm.c" ||
		die "cannot build tests/guests/linux/rtc-alarm.c"
fi

# ---- initramfs: newc cpio written here (no cpio tool needed) ------------------
ino=0
pad() { local n=$(( (4 - $1 % 4) % 4 )); [ $n = 0 ] || head -c $n /dev/zero; }
hdr() { # name mode size [rdevmajor rdevminor]
	ino=$((ino + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		$ino "$2" 0 0 1 0 "$3" 0 0 "${4:-0}" "${5:-0}" $((${#1} + 1)) 0
	printf '%s\0' "$1"
	pad $((110 + ${#1} + 1))
}
dir()  { hdr "$1" $((040755)) 0; }
file() { local size; size=$(stat -c %s "$2"); hdr "$1" $((0100000 | $3)) "$size"; cat "$2"; pad "$size"; }
link() { hdr "$1" $((0120777)) ${#2}; printf '%s' "$2"; pad ${#2}; }
cdev() { hdr "$1" $((020600)) 0 "$2" "$3"; }

# /init, shared part: mounts, facts, and n = online CPUs.
init_common() {
	cat <<-'EOF'
	#!/bin/sh
	/bin/busybox --install -s
	export PATH=/bin:/sbin:/usr/bin:/usr/sbin
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	online=$(cat /sys/devices/system/cpu/online)
	n=0
	for r in $(echo "$online" | sed 's/,/ /g'); do n=$((n + ${r#*-} - ${r%-*} + 1)); done
	echo "guest: uname -r: $(uname -r)"
	echo "guest: cpus online: $online"
	echo "guest: /proc/interrupts (timer, IPI and console rows):"
	grep -E '^ *CPU0|riscv-timer|arch_timer|IPI|ttyS' /proc/interrupts
	EOF
}
# shellcheck disable=SC2016 # expanded by the guest shell
# poweroff -f and reboot -f do not wait for the console: 'sleep 1' lets the
# tty's output reach the UART first.
# After the OK line (make bench times the boot up to it): a passed-through RTC's
# alarm interrupt must reach Linux.
init_test() {
	init_common
	cat <<-'EOF'
	echo "GUEST-LINUX-OK cpus=$n"
	if [ -e /dev/rtc0 ]; then
		timeout 10 /bin/rtc-alarm
		echo "guest: rtc interrupts: $(grep -i rtc /proc/interrupts | tr -s " ")"   # squeezed: one console line at any CPU count
	fi
	sleep 1
	poweroff -f
	EOF
}
init_reboot() {
	init_common
	cat <<-'EOF'
	bc=/sys/firmware/devicetree/base/chosen/tessera,boot-count
	count=0
	if [ -f "$bc" ]; then
		for b in $(od -An -tu1 "$bc"); do count=$((count * 256 + b)); done
	fi
	if [ "$count" = 0 ]; then
		echo "GUEST-LINUX-REBOOTING"
		sleep 1
		reboot -f
	fi
	echo "GUEST-LINUX-OK cpus=$n boot=$count"
	sleep 1
	poweroff -f
	EOF
}
init_shell() {
	init_common
	cat <<-'EOF'
	echo "GUEST-LINUX-OK cpus=$n"
	echo "guest: shell on the console; 'exit' or Ctrl-D powers the VM off"
	export PS1='linux# ' HOME=/root
	cd /root
	setsid cttyhack sh  # the console as controlling tty, so Ctrl-C works
	poweroff -f
	EOF
}

build_initramfs() { # $1 = output, $2 = /init generator
	"$2" >"$tmp/init"
	{
		for d in bin sbin usr usr/bin usr/sbin dev proc sys tmp root etc; do dir "$d"; done
		cdev dev/console 5 1
		file bin/busybox "$busybox" $((0755))
		[ ! -f "$tmp/rtc-alarm" ] || file bin/rtc-alarm "$tmp/rtc-alarm" $((0755))
		link bin/sh busybox
		file init "$tmp/init" $((0755))
		hdr 'TRAILER!!!' 0 0
	} | gzip -9n >"$tmp/$1"
}
for v in test:initramfs.cpio.gz reboot:initramfs-reboot.cpio.gz shell:initramfs-shell.cpio.gz; do
	step="build ${v#*:}"
	build_initramfs "${v#*:}" "init_${v%%:*}"
done

step="install into $out"
for f in "${outputs[@]}"; do mv -f "$tmp/$f" "$out/$f"; touch "$out/$f"; done
say "wrote ${outputs[*]} in $out"
