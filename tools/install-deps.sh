#!/usr/bin/env bash
# Install what tessera needs to build and test, from Debian's packages only.
# Idempotent: re-running it skips what is already there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"
pkgs=(gcc-riscv64-linux-gnu qemu-system-misc opensbi u-boot-qemu u-boot-tools
      gcc-aarch64-linux-gnu qemu-system-arm
      libjsmn-dev device-tree-compiler mtools dosfstools fdisk xz-utils procps
      clang libclang-rt-14-dev cppcheck clang-tidy)   # fuzzing (make fuzz) and make lint

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${pkgs[*]}" >&2; exit 1; }
	sudo_cmd=(sudo)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	"${sudo_cmd[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# libfdt: sources come from Debian's linux-source-6.1 tarball; extract only
# scripts/dtc/libfdt into build/deps/libfdt. Nothing of it is committed.
if [ ! -f "$deps/libfdt/fdt.c" ]; then
	mkdir -p "$deps"
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz 2>/dev/null | head -n1 || true)
	if [ -z "$tarball" ]; then
		echo "install-deps: fetching linux-source-6.1 for libfdt"
		tmp=$(mktemp -d)
		(cd "$tmp" && apt-get download linux-source-6.1 >/dev/null 2>&1) || {
			"${sudo_cmd[@]}" apt-get update -qq
			(cd "$tmp" && apt-get download linux-source-6.1)
		}
		deb=$(ls "$tmp"/linux-source-6.1_*.deb | head -n1)
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/src/linux-source-6.1*.tar.xz'
		tarball=$(ls "$tmp"/usr/src/linux-source-6.1*.tar.xz | head -n1)
	fi
	rm -rf "$deps/libfdt.tmp" && mkdir -p "$deps/libfdt.tmp"
	tar -xJf "$tarball" -C "$deps/libfdt.tmp" --wildcards '*/scripts/dtc/libfdt/*'
	rm -rf "$deps/libfdt"
	mv "$deps"/libfdt.tmp/*/scripts/dtc/libfdt "$deps/libfdt"
	rm -rf "$deps/libfdt.tmp" "${tmp:-/nonexistent}"
	echo "install-deps: libfdt sources in $deps/libfdt"
fi
# The second platform (QEMU 10 + OpenSBI 1.5.1), beside the stock one.
bash "$top/tools/install-qemu10.sh"
mkdir -p "$deps"
touch "$deps/.stamp"
