/*
 * rtc-alarm: for the Linux guest's initramfs. Sets the RTC alarm 2 s ahead
 * through /dev/rtc0, enables the alarm interrupt and blocks in read() until
 * the interrupt handler reports it: proof that a passed-through device's
 * interrupt reaches Linux. Raw system calls, no libc (none for riscv64 here).
 * Exit 0 when the alarm interrupt came, 1 on any error.
 */
typedef unsigned long ulong;

#define SYS_openat 56
#define SYS_ioctl  29
#define SYS_read   63
#define SYS_write  64
#define SYS_exit   93
#define AT_FDCWD   (-100)

struct rtc_time { int sec, min, hour, mday, mon, year, wday, yday, isdst; };

#define RTC_RD_TIME 0x80247009UL   /* _IOR('p', 0x09, struct rtc_time) */
#define RTC_ALM_SET 0x40247007UL   /* _IOW('p', 0x07, struct rtc_time) */
#define RTC_AIE_ON  0x7001UL       /* _IO('p', 0x01) */
#define RTC_AF      0x20

static long sys(long n, long a, long b, long c, long d)
{
	register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c,
		      a3 __asm__("a3") = d, a7 __asm__("a7") = n;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a7) : "memory");
	return a0;
}

static ulong len(const char *s)
{
	ulong n = 0;
	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sys(SYS_write, 1, (long)s, (long)len(s), 0);
}

static __attribute__((noreturn)) void quit(int code, const char *why)
{
	say(why);
	sys(SYS_exit, code, 0, 0, 0);
	for (;;)
		;
}

void _start(void)
{
	struct rtc_time t;
	ulong data = 0;
	long fd = sys(SYS_openat, AT_FDCWD, (long)"/dev/rtc0", 0, 0);
	if (fd < 0)
		quit(1, "rtc-alarm: cannot open /dev/rtc0\n");
	if (sys(SYS_ioctl, fd, (long)RTC_RD_TIME, (long)&t, 0) < 0)
		quit(1, "rtc-alarm: RTC_RD_TIME failed\n");
	t.sec += 2;
	if (t.sec >= 60) { t.sec -= 60; t.min++; }
	if (t.min >= 60) { t.min -= 60; t.hour++; }
	if (t.hour >= 24) t.hour -= 24;
	if (sys(SYS_ioctl, fd, (long)RTC_ALM_SET, (long)&t, 0) < 0)
		quit(1, "rtc-alarm: RTC_ALM_SET failed\n");
	if (sys(SYS_ioctl, fd, (long)RTC_AIE_ON, 0, 0) < 0)
		quit(1, "rtc-alarm: RTC_AIE_ON failed\n");
	if (sys(SYS_read, fd, (long)&data, sizeof(data), 0) != sizeof(data) || !(data & RTC_AF))
		quit(1, "rtc-alarm: read did not report an alarm interrupt\n");
	quit(0, "rtc-alarm: alarm interrupt arrived\n");
}
