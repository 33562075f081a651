# U-Boot script: boot tessera from the first virtio disk's FAT partition.
# tessera.bin is linked at RAM base + 0x200000 (text_offset): tools/mkdisk
# sets tessera_addr to it for the architecture (0x80200000 on RISC-V,
# 0x40200000 on AArch64) ahead of this script.
# Optional files: vms.pkg (VM package, passed as the initrd) and host.dtb
# (a device tree to hand to tessera instead of U-Boot's own).
echo tessera: loading from virtio 0:1
load virtio 0:1 ${tessera_addr} tessera.bin
setenv tessera_rd -
if test -e virtio 0:1 vms.pkg; then load virtio 0:1 ${ramdisk_addr_r} vms.pkg; setenv tessera_rd ${ramdisk_addr_r}:${filesize}; fi
setenv tessera_fdt ${fdtcontroladdr}
if test -e virtio 0:1 host.dtb; then load virtio 0:1 ${fdt_addr_r} host.dtb; setenv tessera_fdt ${fdt_addr_r}; fi
booti ${tessera_addr} ${tessera_rd} ${tessera_fdt}
