/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw ioctl helpers for the selftests that talk to /dev/zxsocket without
 * libzxsocket (device_test, ioctl_test).  Each returns 0 or -errno, so a
 * test can write ASSERT_EQ(-EINVAL, zxs_raw_...(...)).
 */
#ifndef ZXS_RAW_UTIL_H
#define ZXS_RAW_UTIL_H

#include <sys/ioctl.h>
#include <linux/zxsocket.h>

#include "zxs_test_common.h"

static inline int zxs_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static inline int zxs_raw_open(void)
{
	return open(ZXS_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

static inline int zxs_raw_create(int dev, __u32 options, __u32 flags,
				 int fds[2])
{
	struct zxs_create c = { .options = options, .flags = flags,
				.fds = { -1, -1 } };
	int ret = zxs_ioctl(dev, ZXS_IOC_CREATE, &c);

	if (!ret) {
		fds[0] = c.fds[0];
		fds[1] = c.fds[1];
	}
	return ret;
}

static inline int zxs_raw_write(int fd, __u32 options, const void *buf,
				__u64 len, __u64 *actual)
{
	struct zxs_io io = { .options = options,
			     .buf = (__u64)(uintptr_t)buf, .len = len };
	int ret = zxs_ioctl(fd, ZXS_IOC_WRITE, &io);

	if (!ret && actual)
		*actual = io.actual;
	return ret;
}

static inline int zxs_raw_read(int fd, __u32 options, void *buf, __u64 len,
			       __u64 *actual)
{
	struct zxs_io io = { .options = options,
			     .buf = (__u64)(uintptr_t)buf, .len = len };
	int ret = zxs_ioctl(fd, ZXS_IOC_READ, &io);

	if (!ret && actual)
		*actual = io.actual;
	return ret;
}

static inline int zxs_raw_info_socket(int fd, struct zxs_info_socket *info)
{
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer = (__u64)(uintptr_t)info,
			       .buffer_size = sizeof(*info) };

	return zxs_ioctl(fd, ZXS_IOC_GET_INFO, &in);
}

static inline int zxs_raw_info_basic(int fd,
				     struct zxs_info_handle_basic *basic)
{
	struct zxs_info in = { .topic = ZXS_INFO_HANDLE_BASIC,
			       .buffer = (__u64)(uintptr_t)basic,
			       .buffer_size = sizeof(*basic) };

	return zxs_ioctl(fd, ZXS_IOC_GET_INFO, &in);
}

/* The endpoint's signals, or ZXS_RAW_NO_SIGNALS if sampling failed. */
#define ZXS_RAW_NO_SIGNALS	0xffffffffu

static inline __u32 zxs_raw_signals(int fd)
{
	struct zxs_wait_one w = { .signals = 0, .deadline = 0 };

	if (zxs_ioctl(fd, ZXS_IOC_WAIT_ONE, &w) != -ETIMEDOUT)
		return ZXS_RAW_NO_SIGNALS;
	return w.observed;
}

static inline int zxs_raw_duplicate(int fd, __u32 rights, __u32 flags,
				    int *out)
{
	struct zxs_duplicate d = { .rights = rights, .flags = flags,
				   .fd = -1 };
	int ret = zxs_ioctl(fd, ZXS_IOC_DUPLICATE, &d);

	if (!ret)
		*out = d.fd;
	return ret;
}

/* Bytes queued for endpoint @fd, or -errno. */
static inline long long zxs_raw_queued(int fd)
{
	struct zxs_info_socket info;
	int ret = zxs_raw_info_socket(fd, &info);

	return ret ? ret : (long long)info.rx_buf_size;
}

/*
 * Fill the queue that @fd writes to, exactly to its capacity, with
 * datagrams of at most 64 KiB (or one stream write after another).
 */
static inline int zxs_raw_fill(int fd)
{
	static uint8_t chunk[65536];
	struct zxs_info_socket info;
	int ret;

	for (;;) {
		__u64 room, n, actual;

		ret = zxs_raw_info_socket(fd, &info);
		if (ret)
			return ret;
		room = info.tx_buf_max - info.tx_buf_size;
		if (!room)
			return 0;
		n = room < sizeof(chunk) ? room : sizeof(chunk);
		ret = zxs_raw_write(fd, 0, chunk, n, &actual);
		if (ret)
			return ret;
		if (actual != n)
			return -EIO;
	}
}

#endif /* ZXS_RAW_UTIL_H */
