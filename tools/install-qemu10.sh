#!/usr/bin/env bash
# The second test platform: QEMU 10 and OpenSBI 1.5.1 from Debian 12's
# bookworm-backports suite, unpacked under build/deps/qemu10 beside the stock
# QEMU 7.2 and OpenSBI 1.1 (neither replaces the other). Idempotent.
#
# Only the suite's index and the named .debs are fetched, through a private
# apt configuration (the system's sources and package state are not touched);
# the mirror is the one the system's own apt sources name for bookworm.
# Run by tools/install-deps.sh; tools/run-qemu --platform qemu10 uses it.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dest=$top/build/deps/qemu10
want=1:10.0.2     # the version the notes and tests were made on (a newer backport is fine)
pkgs=(qemu-system-riscv qemu-system-arm qemu-system-common qemu-system-data
      qemu-system-gui qemu-system-modules-opengl qemu-system-modules-spice opensbi)

[ -x "$dest/usr/bin/qemu-system-riscv64" ] && [ -f "$dest/.complete" ] && exit 0

# The mirror serving bookworm, read from the system's apt sources (one-line
# and deb822 formats).
mirror=$( {
	grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$0 ~ / bookworm( |$)/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }'
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		     /(^|\n)Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, u, /[ \t]+/); print u[2]; exit } }' "$f"
	done
} | head -n1)
[ -n "$mirror" ] || { echo "install-qemu10: no apt source for bookworm in /etc/apt: cannot fetch bookworm-backports" >&2; exit 1; }

apt_dir=$top/build/deps/apt-backports
rm -rf "$apt_dir" && mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [signed-by=$keyring] $mirror bookworm-backports main" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
          -o APT::Sandbox::User=root -o Debug::NoLocking=1)
echo "install-qemu10: fetching QEMU 10 and OpenSBI 1.5.1 (bookworm-backports) into $dest"
apt-get -qq "${apt_opts[@]}" update
(cd "$apt_dir/debs" && apt-get -qq "${apt_opts[@]}" download "${pkgs[@]}")

# Shared libraries the binaries and modules need come from the stock suite.
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
libs=()
for deb in "$apt_dir"/debs/qemu-system-riscv_*.deb "$apt_dir"/debs/qemu-system-arm_*.deb \
           "$apt_dir"/debs/qemu-system-common_*.deb; do
	for d in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g'); do
		case $d in qemu-*|opensbi|ipxe-*|seabios) continue ;; esac
		dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q "install ok installed" || libs+=("$d")
	done
done
if [ "${#libs[@]}" -gt 0 ]; then
	mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)
	echo "install-qemu10: installing the libraries QEMU 10 needs: ${libs[*]}"
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${libs[@]}" || {
		"${sudo_cmd[@]}" apt-get update -qq
		DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${libs[@]}"
	}
fi

rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dest.tmp"; done
v=$("$dest.tmp/usr/bin/qemu-system-riscv64" --version | head -n1)
case $v in *"version 10."*) ;; *) echo "install-qemu10: unexpected QEMU in backports: $v (want $want)" >&2; exit 1 ;; esac

# QEMU loads its modules (audio and display back ends, probed even with
# -nographic) from a compiled-in /usr/lib/x86_64-linux-gnu/qemu, where the
# stock QEMU 7.2's live: 10 refuses those, loudly. run-qemu points
# QEMU_MODULE_DIR at this build's modules instead, keeping only those whose
# libraries this machine has (the rest cannot load anyway).
moddir=$dest.tmp/usr/lib/x86_64-linux-gnu/qemu
mkdir -p "$dest.tmp/modules"
for m in "$moddir"/*.so; do
	deps=$(ldd "$m" 2>&1 || true)   # (not a pipe into grep -q: pipefail would see ldd's SIGPIPE)
	case $deps in *"not found"*) ;; *) cp "$m" "$dest.tmp/modules/" ;; esac
done
osbi=$(dpkg-deb -f "$apt_dir"/debs/opensbi_*.deb Version)
rm -rf "$dest" && mv "$dest.tmp" "$dest"
rm -rf "$apt_dir"
printf '%s\nOpenSBI %s\n' "$v" "$osbi" >"$dest/.complete"
echo "install-qemu10: $v and OpenSBI $osbi in $dest"
