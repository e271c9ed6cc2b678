/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection helpers (debug kernel): make the nth allocation or user
 * copy of the next call fail, through /proc/thread-self/fail-nth.
 *
 * fail-nth counts every fault-injection point the task passes (slab
 * allocations, page allocations, user copies) and fails the nth one,
 * whatever the probability knobs say.  Two knobs still filter what counts:
 * failslab and fail_page_alloc ignore allocations that may sleep
 * (ignore-gfp-wait, default Y) and fail_page_alloc ignores order-0 pages
 * (min-order, default 1); zxs_fault_setup() turns both filters off, and
 * every "verbose" knob to 0 so that an injected failure prints no stack
 * (which vm-run would take for a kernel report).
 *
 * Usage, per call under test:
 *	zxs_fault_arm(&f, n);
 *	ret = the_call();
 *	if (!zxs_fault_fired(&f))
 *		break;	// the call passed fewer than n points: sweep done
 */
#ifndef ZXS_FAULT_UTIL_H
#define ZXS_FAULT_UTIL_H

#include <stdlib.h>
#include <sys/mount.h>

#include "zxs_test_common.h"

#define ZXS_DEBUGFS		"/sys/kernel/debug"
#define ZXS_FAIL_NTH		"/proc/thread-self/fail-nth"

struct zxs_fault_knob {
	const char *path;
	const char *value;
	char saved[32];
	bool changed;
};

struct zxs_fault {
	int nth_fd;
	unsigned int fired;	/* faults injected so far */
	struct zxs_fault_knob knobs[8];
	int nknobs;
};

static inline int zxs_fault_rw(const char *path, char *buf, size_t len,
			       const char *set)
{
	ssize_t n;
	int fd;

	fd = open(path, set ? O_WRONLY | O_CLOEXEC : O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (set)
		n = write(fd, set, strlen(set));
	else
		n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!set)
		buf[n] = 0;
	return 0;
}

/*
 * Everything fail-nth needs, or a reason it is missing (skip the test):
 * the file itself (CONFIG_FAULT_INJECTION) and failslab's debugfs knobs
 * (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS), mounting debugfs
 * if it is not.
 */
static inline const char *zxs_fault_missing(void)
{
	if (access(ZXS_FAIL_NTH, W_OK))
		return ZXS_FAIL_NTH " missing (no CONFIG_FAULT_INJECTION)";
	if (access(ZXS_DEBUGFS "/failslab", F_OK))
		mount("debugfs", ZXS_DEBUGFS, "debugfs", 0, NULL);
	if (access(ZXS_DEBUGFS "/failslab/ignore-gfp-wait", W_OK))
		return ZXS_DEBUGFS "/failslab missing (no CONFIG_FAILSLAB)";
	return NULL;
}

static inline void zxs_fault_knob(struct zxs_fault *f, const char *path,
				  const char *value)
{
	struct zxs_fault_knob *k = &f->knobs[f->nknobs];

	if (f->nknobs == 8)
		return;
	k->path = path;
	k->value = value;
	if (zxs_fault_rw(path, k->saved, sizeof(k->saved), NULL))
		return;		/* absent on this kernel: nothing to set */
	k->changed = !zxs_fault_rw(path, NULL, 0, value);
	f->nknobs++;
}

static inline int zxs_fault_setup(struct zxs_fault *f)
{
	memset(f, 0, sizeof(*f));
	zxs_fault_knob(f, ZXS_DEBUGFS "/failslab/ignore-gfp-wait", "N");
	zxs_fault_knob(f, ZXS_DEBUGFS "/failslab/verbose", "0");
	zxs_fault_knob(f, ZXS_DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N");
	zxs_fault_knob(f, ZXS_DEBUGFS "/fail_page_alloc/ignore-gfp-highmem",
		       "N");
	zxs_fault_knob(f, ZXS_DEBUGFS "/fail_page_alloc/min-order", "0");
	zxs_fault_knob(f, ZXS_DEBUGFS "/fail_page_alloc/verbose", "0");
	zxs_fault_knob(f, ZXS_DEBUGFS "/fail_usercopy/verbose", "0");
	f->nth_fd = open(ZXS_FAIL_NTH, O_RDWR | O_CLOEXEC);
	return f->nth_fd < 0 ? -errno : 0;
}

static inline void zxs_fault_teardown(struct zxs_fault *f)
{
	int i;

	for (i = 0; i < f->nknobs; i++) {
		if (f->knobs[i].changed)
			zxs_fault_rw(f->knobs[i].path, NULL, 0,
				     f->knobs[i].saved);
	}
	if (f->nth_fd >= 0)
		close(f->nth_fd);
}

/* Fail the @n-th fault-injection point this thread passes from now on. */
static inline void zxs_fault_arm(struct zxs_fault *f, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(f->nth_fd, buf, len, 0) != len)
		abort();	/* a sweep that injects nothing proves nothing */
}

/*
 * Whether the armed failure happened (and count it); if not, disarm.
 * A read that fails means the read's own copy-out was the nth point: the
 * call under test passed fewer than n points.
 */
static inline bool zxs_fault_fired(struct zxs_fault *f)
{
	char buf[16];
	ssize_t n;

	n = pread(f->nth_fd, buf, sizeof(buf) - 1, 0);
	if (n > 0) {
		buf[n] = 0;
		if (strtoul(buf, NULL, 10) == 0) {
			f->fired++;
			return true;
		}
	}
	(void)!pwrite(f->nth_fd, "0", 1, 0);
	return false;
}

#endif /* ZXS_FAULT_UTIL_H */
