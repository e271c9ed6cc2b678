// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_test: conformance of every zxsocket ioctl at the raw ABI level
 * (uapi/linux/zxsocket.h), without libzxsocket.
 *
 * For each ioctl: an unknown or mis-encoded command is ENOTTY, an
 * unreadable argument struct is EFAULT (and so is an unwritable one when
 * the ioctl writes results back), non-zero reserved fields and unknown
 * flags are EINVAL.  READ and WRITE also get bad data buffers, which must
 * not lose or half-queue data, and the documented order of their errors.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/time.h>

/*
 * The 6.12 harness's TEST_F() wrapper keeps a local across setjmp(), which
 * -Wextra's -Wclobbered flags depending on inlining; the variable is not
 * used after longjmp() in a way that matters.
 */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_raw_util.h"

/*
 * Helpers that check with the harness macros take the test's _metadata
 * like a TEST() body does.
 */

/*
 * The argument struct must be copied in whole or not at all: NULL, an
 * unmapped page and a struct that runs off the end of a mapping are all
 * EFAULT.  @valid is a correct struct, so the fault is the only error.
 */
static void expect_arg_unreadable_efault(struct __test_metadata *_metadata,
					 int fd, unsigned long cmd,
					 const void *valid, size_t size)
{
	size_t pg = zxs_page_size();
	uint8_t *half = zxs_half_mapped_pages();
	void *unmapped = zxs_unmapped_page();

	ASSERT_NE(NULL, half);
	ASSERT_NE(NULL, unmapped);
	EXPECT_EQ(-EFAULT, zxs_ioctl(fd, cmd, NULL));
	EXPECT_EQ(-EFAULT, zxs_ioctl(fd, cmd, unmapped));
	/* All but the last 4 bytes readable. */
	memcpy(half + pg - (size - 4), valid, size - 4);
	EXPECT_EQ(-EFAULT, zxs_ioctl(fd, cmd, half + pg - (size - 4)));
	munmap(half, pg);
}

/*
 * An ioctl that writes results into its struct must fail with EFAULT when
 * the struct is read-only, even though it can read a valid request there.
 */
static void expect_arg_readonly_efault(struct __test_metadata *_metadata,
				       int fd, unsigned long cmd,
				       const void *valid, size_t size)
{
	void *ro = zxs_readonly_copy(valid, size);

	ASSERT_NE(NULL, ro);
	EXPECT_EQ(-EFAULT, zxs_ioctl(fd, cmd, ro));
	munmap(ro, zxs_page_size());
}

/*
 * The command number encodes the struct size and direction: the same
 * ioctl number with another size or direction is another command, which
 * the module does not know.  The argument is a valid struct followed by
 * zeros, so a module that ignored the encoding would succeed and fail the
 * test.
 */
static void expect_cmd_misencoded_enotty(struct __test_metadata *_metadata,
					 int fd, unsigned long cmd,
					 const void *valid, size_t size)
{
	unsigned int dir = _IOC_DIR(cmd), nr = _IOC_NR(cmd);
	uint64_t buf[64] = { 0 };
	unsigned int other_dir;

	ASSERT_EQ(size, _IOC_SIZE(cmd));
	memcpy(buf, valid, size);
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(dir, ZXS_IOC_MAGIC, nr, size - 4),
				     buf));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(dir, ZXS_IOC_MAGIC, nr, size + 8),
				     buf));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(dir, ZXS_IOC_MAGIC, nr, 0), buf));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(_IOC_NONE, ZXS_IOC_MAGIC, nr, 0),
				     buf));
	other_dir = dir == (_IOC_READ | _IOC_WRITE) ? _IOC_WRITE
						    : (_IOC_READ | _IOC_WRITE);
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(other_dir, ZXS_IOC_MAGIC, nr,
					      size), buf));
	/* Another driver's magic with our number and size. */
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fd, _IOC(dir, 'x', nr, size), buf));
}

static int make_pipe_fd(int *other)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	*other = p[1];
	return p[0];
}

FIXTURE(ep)
{
	int dev;
	int fds[2];
	__u64 cap;
};

FIXTURE_SETUP(ep)
{
	struct zxs_info_socket info;

	self->dev = zxs_raw_open();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, zxs_raw_create(self->dev, ZXS_STREAM, 0, self->fds));
	ASSERT_EQ(0, zxs_raw_info_socket(self->fds[0], &info));
	self->cap = info.rx_buf_max;
	ASSERT_LT(0, self->cap);
}

FIXTURE_TEARDOWN(ep)
{
	if (self->fds[0] >= 0)
		close(self->fds[0]);
	if (self->fds[1] >= 0)
		close(self->fds[1]);
	close(self->dev);
}

/* ------------------------------------------------------ unknown cmds */

/* Every command the uapi header defines, on the fd it belongs to. */
static bool known_cmd(unsigned long cmd, bool on_device)
{
	static const unsigned long device_cmds[] = {
		ZXS_IOC_CREATE, ZXS_IOC_WAIT_MANY, ZXS_IOC_PORT_CREATE,
		ZXS_IOC_WAIT_ASYNC, ZXS_IOC_PORT_CANCEL,
	};
	static const unsigned long endpoint_cmds[] = {
		ZXS_IOC_WRITE, ZXS_IOC_READ, ZXS_IOC_SET_DISPOSITION,
		ZXS_IOC_SHUTDOWN, ZXS_IOC_SIGNAL, ZXS_IOC_WAIT_ONE,
		ZXS_IOC_GET_INFO, ZXS_IOC_GET_PROPERTY, ZXS_IOC_SET_PROPERTY,
		ZXS_IOC_DUPLICATE,
#ifdef ZXS_IOC_SHARE
		ZXS_IOC_SHARE,
#endif
#ifdef ZXS_IOC_ACCEPT
		ZXS_IOC_ACCEPT,
#endif
	};
	size_t i;

	if (on_device) {
		for (i = 0; i < ARRAY_SIZE(device_cmds); i++)
			if (cmd == device_cmds[i])
				return true;
	} else {
		for (i = 0; i < ARRAY_SIZE(endpoint_cmds); i++)
			if (cmd == endpoint_cmds[i])
				return true;
	}
	return false;
}

/*
 * Try every command with our magic on @fd, in every direction and with the
 * sizes of our structs (and then some), except the known ones: each must
 * be ENOTTY.  The argument is zeros, which no command here may act on.
 * Returns how many were tried.
 */
static unsigned int expect_unknown_cmds_enotty(struct __test_metadata *_metadata,
					       int fd, bool on_device)
{
	static const unsigned int dirs[] = { _IOC_NONE, _IOC_READ, _IOC_WRITE,
					     _IOC_READ | _IOC_WRITE };
	static const unsigned int sizes[] = { 0, 4, 8, 12, 16, 24, 32, 40, 48,
					      64 };
	unsigned int nr, d, s, tried = 0;
	uint64_t zeros[16];

	for (nr = 0; nr < 256; nr++) {
		for (d = 0; d < ARRAY_SIZE(dirs); d++) {
			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				unsigned long cmd = _IOC(dirs[d], ZXS_IOC_MAGIC,
							 nr, sizes[s]);
				int ret;

				if (known_cmd(cmd, on_device))
					continue;
				memset(zeros, 0, sizeof(zeros));
				ret = zxs_ioctl(fd, cmd, zeros);
				tried++;
				if (ret == -ENOTTY)
					continue;
				EXPECT_EQ(-ENOTTY, ret)
					TH_LOG("cmd %#lx on the %s fd", cmd,
					       on_device ? "device" : "endpoint");
			}
		}
	}
	return tried;
}

TEST_F(ep, unknown_cmds_enotty_on_both_fds)
{
	int free_fd = zxs_lowest_free_fd();

	EXPECT_LT(10000, expect_unknown_cmds_enotty(_metadata, self->dev,
						    true));
	EXPECT_LT(10000, expect_unknown_cmds_enotty(_metadata, self->fds[0],
						    false));
	/* None of them made an fd or touched the socket. */
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));
}

/* ------------------------------------------------------------ CREATE */

TEST_F(ep, create_unreadable_arg_efault)
{
	struct zxs_create c = { .options = ZXS_STREAM };

	expect_arg_unreadable_efault(_metadata, self->dev, ZXS_IOC_CREATE, &c,
				     sizeof(c));
}

TEST_F(ep, create_readonly_arg_efault_leaks_no_fd)
{
	struct zxs_create c = { .options = ZXS_STREAM };
	int free_fd = zxs_lowest_free_fd();

	/*
	 * The fds are made before they can be copied out; when the copy
	 * fails they must be taken back, not left installed.
	 */
	expect_arg_readonly_efault(_metadata, self->dev, ZXS_IOC_CREATE, &c,
				   sizeof(c));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
}

TEST_F(ep, create_cmd_misencoded_enotty)
{
	struct zxs_create c = { .options = ZXS_STREAM };
	int free_fd = zxs_lowest_free_fd();

	expect_cmd_misencoded_enotty(_metadata, self->dev, ZXS_IOC_CREATE, &c,
				     sizeof(c));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
}

TEST_F(ep, create_unknown_options_and_flags_einval)
{
	int fds[2];

	EXPECT_EQ(-EINVAL, zxs_raw_create(self->dev, 1u << 3, 0, fds));
	EXPECT_EQ(-EINVAL, zxs_raw_create(self->dev, 1u << 31, 0, fds));
	EXPECT_EQ(-EINVAL, zxs_raw_create(self->dev, 0, 1u << 2, fds));
	EXPECT_EQ(-EINVAL, zxs_raw_create(self->dev, 0, 1u << 31, fds));
}

/* --------------------------------------------------------- WAIT_MANY */

TEST_F(ep, wait_many_unreadable_arg_efault)
{
	struct zxs_wait_item item = { .fd = self->fds[0],
				      .waitfor = ZXS_SIGNAL_WRITABLE };
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)&item,
				    .count = 1 };

	expect_arg_unreadable_efault(_metadata, self->dev, ZXS_IOC_WAIT_MANY,
				     &wm, sizeof(wm));
}

TEST_F(ep, wait_many_cmd_misencoded_enotty)
{
	struct zxs_wait_item item = { .fd = self->fds[0],
				      .waitfor = ZXS_SIGNAL_WRITABLE };
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)&item,
				    .count = 1 };

	expect_cmd_misencoded_enotty(_metadata, self->dev, ZXS_IOC_WAIT_MANY,
				     &wm, sizeof(wm));
}

TEST_F(ep, wait_many_bad_items_efault)
{
	size_t pg = zxs_page_size();
	struct zxs_wait_item item = { .fd = self->fds[0],
				      .waitfor = ZXS_SIGNAL_WRITABLE };
	struct zxs_wait_many wm = { .count = 1 };
	struct zxs_wait_item *ro;
	uint8_t *half;

	wm.items = 0;
	EXPECT_EQ(-EFAULT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	wm.items = (__u64)(uintptr_t)zxs_unmapped_page();
	EXPECT_EQ(-EFAULT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));

	/* Two items, the second one past the end of the mapping. */
	half = zxs_half_mapped_pages();
	ASSERT_NE(NULL, half);
	memcpy(half + pg - sizeof(item), &item, sizeof(item));
	wm.items = (__u64)(uintptr_t)(half + pg - sizeof(item));
	wm.count = 2;
	EXPECT_EQ(-EFAULT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	munmap(half, pg);

	/* Readable but not writable: the pending signals cannot be stored. */
	ro = zxs_readonly_copy(&item, sizeof(item));
	ASSERT_NE(NULL, ro);
	wm.items = (__u64)(uintptr_t)ro;
	wm.count = 1;
	EXPECT_EQ(-EFAULT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	munmap(ro, pg);
}

TEST_F(ep, wait_many_reserved_nonzero_einval)
{
	struct zxs_wait_item item = { .fd = self->fds[0],
				      .waitfor = ZXS_SIGNAL_WRITABLE };
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)&item,
				    .count = 1, .reserved = 1 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	wm.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	wm.reserved = 0;
	EXPECT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, item.pending);
}

TEST_F(ep, wait_many_count_above_max_erange)
{
	static struct zxs_wait_item items[ZXS_WAIT_MANY_MAX_ITEMS + 1];
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)items };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(items); i++)
		items[i] = (struct zxs_wait_item){
			.fd = self->fds[i % 2], .waitfor = ZXS_SIGNAL_WRITABLE };
	wm.count = ZXS_WAIT_MANY_MAX_ITEMS + 1;
	EXPECT_EQ(-ERANGE, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	wm.count = 0xffffffffu;
	EXPECT_EQ(-ERANGE, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	wm.count = ZXS_WAIT_MANY_MAX_ITEMS;
	EXPECT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	for (i = 0; i < ZXS_WAIT_MANY_MAX_ITEMS; i++) {
		EXPECT_EQ(ZXS_SIGNAL_WRITABLE, items[i].pending);
	}
}

TEST_F(ep, wait_many_item_fd_errors)
{
	struct zxs_wait_item items[2] = {
		{ .fd = self->fds[0], .waitfor = ZXS_SIGNAL_READABLE },
		{ .waitfor = ZXS_SIGNAL_READABLE },
	};
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)items,
				    .count = 2 };
	int pipe_w, pipe_r = make_pipe_fd(&pipe_w);
	int no_wait;

	ASSERT_LE(0, pipe_r);
	items[1].fd = zxs_closed_fd();
	EXPECT_EQ(-EBADF, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	items[1].fd = pipe_r;
	EXPECT_EQ(-ENOTSOCK, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	/* The device fd is not an endpoint either. */
	items[1].fd = self->dev;
	EXPECT_EQ(-ENOTSOCK, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[1],
				       ZXS_DEFAULT_RIGHTS & ~ZXS_RIGHT_WAIT,
				       0, &no_wait));
	items[1].fd = no_wait;
	EXPECT_EQ(-EACCES, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	close(no_wait);
	close(pipe_r);
	close(pipe_w);
}

TEST_F(ep, wait_many_count_zero_sleeps_until_deadline)
{
	struct zxs_wait_many wm = { .items = 0, .count = 0 };
	int64_t start = zxs_now_ns();

	wm.deadline = start + ZXS_SHORT_NS;
	EXPECT_EQ(-ETIMEDOUT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	EXPECT_LE(start + ZXS_SHORT_NS, zxs_now_ns());
}

TEST_F(ep, wait_many_timeout_writes_every_pending)
{
	struct zxs_wait_item items[2] = {
		{ .fd = self->fds[0], .waitfor = ZXS_SIGNAL_READABLE,
		  .pending = 0xdead },
		{ .fd = self->fds[1], .waitfor = ZXS_SIGNAL_PEER_CLOSED,
		  .pending = 0xdead },
	};
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)items,
				    .count = 2, .deadline = 0 };

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	EXPECT_EQ(-ETIMEDOUT, zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, items[0].pending);
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE | ZXS_SIGNAL_READABLE, items[1].pending);
}

/* ------------------------------------------------------------- WRITE */

TEST_F(ep, write_unreadable_arg_efault)
{
	struct zxs_io io = { .buf = (__u64)(uintptr_t)"abc", .len = 3 };

	expect_arg_unreadable_efault(_metadata, self->fds[0], ZXS_IOC_WRITE,
				     &io, sizeof(io));
	/* The module never saw a request: nothing reached the peer. */
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, write_readonly_arg_efault)
{
	struct zxs_io io = { .buf = (__u64)(uintptr_t)"abc", .len = 3 };

	expect_arg_readonly_efault(_metadata, self->fds[0], ZXS_IOC_WRITE, &io,
				   sizeof(io));
}

TEST_F(ep, write_cmd_misencoded_enotty)
{
	struct zxs_io io = { .buf = (__u64)(uintptr_t)"abc", .len = 3 };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0], ZXS_IOC_WRITE,
				     &io, sizeof(io));
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, write_reserved_nonzero_einval)
{
	struct zxs_io io = { .buf = (__u64)(uintptr_t)"abc", .len = 3,
			     .reserved = 1 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_WRITE, &io));
	io.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_WRITE, &io));
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, write_unknown_options_einval)
{
	/* PEEK is a read option; bits 1, 4 and 31 mean nothing. */
	static const __u32 bad[] = { ZXS_PEEK, 1u << 1, 1u << 4, 1u << 31,
				     ZXS_CONTROL | (1u << 4) };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, zxs_raw_write(self->fds[0], bad[i], "abc", 3,
						 NULL)) TH_LOG("options %#x", bad[i]);
	}
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, write_null_buf_einval_unless_len_zero)
{
	struct zxs_io io = { .buf = 0, .len = 1, .actual = 77 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_WRITE, &io));
	io.len = 0;
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_WRITE, &io));
	EXPECT_EQ(0, io.actual);
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
}

/* -------------------------------------------------------------- READ */

TEST_F(ep, read_unreadable_arg_efault)
{
	char buf[8];
	struct zxs_io io = { .buf = (__u64)(uintptr_t)buf, .len = sizeof(buf) };

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	expect_arg_unreadable_efault(_metadata, self->fds[1], ZXS_IOC_READ,
				     &io, sizeof(io));
	EXPECT_EQ(3, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, read_readonly_arg_efault)
{
	char buf[8];
	struct zxs_io io = { .buf = (__u64)(uintptr_t)buf, .len = sizeof(buf) };

	/* Data queued, so the read gets as far as storing its result. */
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	expect_arg_readonly_efault(_metadata, self->fds[1], ZXS_IOC_READ, &io,
				   sizeof(io));
}

TEST_F(ep, read_cmd_misencoded_enotty)
{
	char buf[8];
	struct zxs_io io = { .buf = (__u64)(uintptr_t)buf, .len = sizeof(buf) };

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	expect_cmd_misencoded_enotty(_metadata, self->fds[1], ZXS_IOC_READ, &io,
				     sizeof(io));
	EXPECT_EQ(3, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, read_reserved_nonzero_einval)
{
	char buf[8];
	struct zxs_io io = { .buf = (__u64)(uintptr_t)buf, .len = sizeof(buf),
			     .reserved = 1 };

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[1], ZXS_IOC_READ, &io));
	io.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[1], ZXS_IOC_READ, &io));
	EXPECT_EQ(3, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, read_unknown_options_einval)
{
	static const __u32 bad[] = { 1u << 0, 1u << 1, 1u << 4, 1u << 31,
				     ZXS_PEEK | (1u << 31) };
	char buf[8];
	size_t i;

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], bad[i], buf,
						sizeof(buf), NULL))
			TH_LOG("options %#x", bad[i]);
	}
	EXPECT_EQ(3, zxs_raw_queued(self->fds[1]));
}

TEST_F(ep, read_null_buf_einval_unless_len_zero)
{
	struct zxs_io io = { .buf = 0, .len = 1, .actual = 77 };

	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "abc", 3, NULL));
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[1], ZXS_IOC_READ, &io));
	io.len = 0;
	EXPECT_EQ(0, zxs_ioctl(self->fds[1], ZXS_IOC_READ, &io));
	EXPECT_EQ(0, io.actual);
	EXPECT_EQ(3, zxs_raw_queued(self->fds[1]));
}

/* --------------------------------------------------- SET_DISPOSITION */

TEST_F(ep, set_disposition_unreadable_arg_efault)
{
	struct zxs_disposition d = {
		.disposition = ZXS_DISPOSITION_WRITE_DISABLED };

	expect_arg_unreadable_efault(_metadata, self->fds[0],
				     ZXS_IOC_SET_DISPOSITION, &d, sizeof(d));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, set_disposition_cmd_misencoded_enotty)
{
	struct zxs_disposition d = {
		.disposition = ZXS_DISPOSITION_WRITE_DISABLED };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0],
				     ZXS_IOC_SET_DISPOSITION, &d, sizeof(d));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, set_disposition_unknown_values_einval)
{
	static const __u32 bad[] = {
		ZXS_DISPOSITION_WRITE_DISABLED | ZXS_DISPOSITION_WRITE_ENABLED,
		1u << 2, 1u << 31,
	};
	struct zxs_disposition d;
	int no_manage;
	size_t i;

	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0],
				       ZXS_DEFAULT_RIGHTS &
				       ~ZXS_RIGHT_MANAGE_SOCKET, 0, &no_manage));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		d = (struct zxs_disposition){ .disposition = bad[i] };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0],
					     ZXS_IOC_SET_DISPOSITION, &d))
			TH_LOG("disposition %#x", bad[i]);
		/* Values are checked before rights. */
		EXPECT_EQ(-EINVAL, zxs_ioctl(no_manage,
					     ZXS_IOC_SET_DISPOSITION, &d));
		d = (struct zxs_disposition){ .disposition_peer = bad[i] };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0],
					     ZXS_IOC_SET_DISPOSITION, &d))
			TH_LOG("disposition_peer %#x", bad[i]);
		/* A valid half does not make the invalid one acceptable. */
		d.disposition = ZXS_DISPOSITION_WRITE_DISABLED;
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0],
					     ZXS_IOC_SET_DISPOSITION, &d));
	}
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));
	d = (struct zxs_disposition){ .disposition = 0 };
	EXPECT_EQ(-EACCES, zxs_ioctl(no_manage, ZXS_IOC_SET_DISPOSITION, &d));
	close(no_manage);
}

/* ---------------------------------------------------------- SHUTDOWN */

TEST_F(ep, shutdown_unreadable_arg_efault)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE };

	expect_arg_unreadable_efault(_metadata, self->fds[0], ZXS_IOC_SHUTDOWN,
				     &sd, sizeof(sd));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, shutdown_cmd_misencoded_enotty)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0], ZXS_IOC_SHUTDOWN,
				     &sd, sizeof(sd));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, shutdown_reserved_nonzero_einval)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE,
				   .reserved = 1 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN, &sd));
	sd.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN, &sd));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, shutdown_unknown_options_einval)
{
	static const __u32 bad[] = { 1u << 2, 1u << 31,
				     ZXS_SHUTDOWN_WRITE | (1u << 2) };
	struct zxs_shutdown sd;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		sd = (struct zxs_shutdown){ .options = bad[i] };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN,
					     &sd)) TH_LOG("options %#x", bad[i]);
	}
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));
}

/* ------------------------------------------------------------ SIGNAL */

TEST_F(ep, signal_unreadable_arg_efault)
{
	struct zxs_signal s = { .set = 1u << 24 };

	expect_arg_unreadable_efault(_metadata, self->fds[0], ZXS_IOC_SIGNAL,
				     &s, sizeof(s));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, signal_cmd_misencoded_enotty)
{
	struct zxs_signal s = { .set = 1u << 24 };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0], ZXS_IOC_SIGNAL,
				     &s, sizeof(s));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, signal_reserved_nonzero_einval)
{
	struct zxs_signal s = { .set = 1u << 24, .reserved = 1 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	s.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
}

TEST_F(ep, signal_unknown_flags_and_non_user_bits_einval)
{
	struct zxs_signal s = { .set = 1u << 24, .flags = 1u << 1 };
	__u32 bit;

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	s.flags = 1u << 31;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	for (bit = 0; bit < 24; bit++) {
		s = (struct zxs_signal){ .set = 1u << bit };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s))
			TH_LOG("set bit %u", bit);
		s = (struct zxs_signal){ .clear = 1u << bit };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s))
			TH_LOG("clear bit %u", bit);
		s = (struct zxs_signal){ .set = 1u << bit,
					 .flags = ZXS_SIGNAL_TO_PEER };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s))
			TH_LOG("set bit %u on peer", bit);
	}
	/* Nothing was cleared, WRITABLE least of all. */
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));
}

TEST_F(ep, signal_to_peer_sets_peer_bits_and_epipe_once_gone)
{
	struct zxs_signal s = { .set = 1u << 25, .flags = ZXS_SIGNAL_TO_PEER };

	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[0]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE | (1u << 25),
		  zxs_raw_signals(self->fds[1]));
	close(self->fds[1]);
	self->fds[1] = -1;
	EXPECT_EQ(-EPIPE, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	/* Signalling oneself still works. */
	s.flags = 0;
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SIGNAL, &s));
	EXPECT_EQ(ZXS_SIGNAL_PEER_CLOSED | (1u << 25),
		  zxs_raw_signals(self->fds[0]));
}

/* ---------------------------------------------------------- WAIT_ONE */

TEST_F(ep, wait_one_unreadable_arg_efault)
{
	struct zxs_wait_one w = { .signals = ZXS_SIGNAL_WRITABLE };

	expect_arg_unreadable_efault(_metadata, self->fds[0], ZXS_IOC_WAIT_ONE,
				     &w, sizeof(w));
}

TEST_F(ep, wait_one_readonly_arg_efault)
{
	/* Already satisfied: the only thing left to fail is storing observed. */
	struct zxs_wait_one w = { .signals = ZXS_SIGNAL_WRITABLE };

	expect_arg_readonly_efault(_metadata, self->fds[0], ZXS_IOC_WAIT_ONE,
				   &w, sizeof(w));
}

TEST_F(ep, wait_one_cmd_misencoded_enotty)
{
	struct zxs_wait_one w = { .signals = ZXS_SIGNAL_WRITABLE };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0], ZXS_IOC_WAIT_ONE,
				     &w, sizeof(w));
}

TEST_F(ep, wait_one_timeout_writes_observed)
{
	struct zxs_wait_one w = { .signals = ZXS_SIGNAL_READABLE,
				  .observed = 0xdead };
	int64_t start = zxs_now_ns();

	w.deadline = start + ZXS_SHORT_NS;
	EXPECT_EQ(-ETIMEDOUT, zxs_ioctl(self->fds[0], ZXS_IOC_WAIT_ONE, &w));
	EXPECT_LE(start + ZXS_SHORT_NS, zxs_now_ns());
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, w.observed);

	/* And on success, every asserted signal, not just the ones asked for. */
	ASSERT_EQ(0, zxs_raw_write(self->fds[1], 0, "x", 1, NULL));
	w = (struct zxs_wait_one){ .signals = ZXS_SIGNAL_READABLE,
				   .deadline = ZXS_TIME_INFINITE };
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_WAIT_ONE, &w));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE | ZXS_SIGNAL_READABLE, w.observed);
}

static void noop_handler(int sig)
{
}

/* SIGALRM every @interval_ns, delivered without SA_RESTART. */
static void start_alarms(int64_t first_ns, int64_t interval_ns)
{
	struct sigaction sa = { .sa_handler = noop_handler };
	struct itimerval it = {
		.it_value = { .tv_sec = first_ns / ZXS_NSEC_PER_SEC,
			      .tv_usec = first_ns % ZXS_NSEC_PER_SEC / 1000 },
		.it_interval = { .tv_sec = interval_ns / ZXS_NSEC_PER_SEC,
				 .tv_usec = interval_ns % ZXS_NSEC_PER_SEC / 1000 },
	};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_alarms(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
}

TEST_F(ep, wait_one_interrupted_by_signal_eintr)
{
	struct zxs_wait_one w = { .signals = ZXS_SIGNAL_READABLE };
	int64_t start = zxs_now_ns();
	int ret;

	w.deadline = start + ZXS_LONG_NS;
	start_alarms(50 * ZXS_NSEC_PER_MSEC, 0);
	ret = zxs_ioctl(self->fds[0], ZXS_IOC_WAIT_ONE, &w);
	stop_alarms();
	/* The handler ran and the wait gave up long before its deadline. */
	EXPECT_EQ(-EINTR, ret);
	EXPECT_GT(start + ZXS_LONG_NS, zxs_now_ns());
}

TEST_F(ep, wait_many_interrupted_by_signal_eintr)
{
	struct zxs_wait_item item = { .fd = self->fds[0],
				      .waitfor = ZXS_SIGNAL_READABLE };
	struct zxs_wait_many wm = { .items = (__u64)(uintptr_t)&item,
				    .count = 1 };
	int64_t start = zxs_now_ns();
	int ret;

	wm.deadline = start + ZXS_LONG_NS;
	start_alarms(50 * ZXS_NSEC_PER_MSEC, 0);
	ret = zxs_ioctl(self->dev, ZXS_IOC_WAIT_MANY, &wm);
	stop_alarms();
	EXPECT_EQ(-EINTR, ret);
	EXPECT_GT(start + ZXS_LONG_NS, zxs_now_ns());
}

/* ---------------------------------------------------------- GET_INFO */

TEST_F(ep, get_info_unreadable_arg_efault)
{
	struct zxs_info_socket rec;
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer = (__u64)(uintptr_t)&rec,
			       .buffer_size = sizeof(rec) };

	expect_arg_unreadable_efault(_metadata, self->fds[0], ZXS_IOC_GET_INFO,
				     &in, sizeof(in));
}

TEST_F(ep, get_info_readonly_arg_efault)
{
	struct zxs_info_socket rec;
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer = (__u64)(uintptr_t)&rec,
			       .buffer_size = sizeof(rec) };

	expect_arg_readonly_efault(_metadata, self->fds[0], ZXS_IOC_GET_INFO,
				   &in, sizeof(in));
}

TEST_F(ep, get_info_cmd_misencoded_enotty)
{
	struct zxs_info_socket rec;
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer = (__u64)(uintptr_t)&rec,
			       .buffer_size = sizeof(rec) };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0], ZXS_IOC_GET_INFO,
				     &in, sizeof(in));
}

TEST_F(ep, get_info_reserved_nonzero_einval)
{
	struct zxs_info_socket rec;
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer = (__u64)(uintptr_t)&rec,
			       .buffer_size = sizeof(rec), .reserved = 1 };

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	in.reserved = 0x80000000u;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
}

TEST_F(ep, get_info_unknown_topic_eopnotsupp)
{
	static const __u32 bad[] = { 0, 3, 21, 23, 1u << 28 | 22, 0xffffffffu };
	uint8_t rec[256];
	struct zxs_info in = { .buffer = (__u64)(uintptr_t)rec,
			       .buffer_size = sizeof(rec) };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		in.topic = bad[i];
		EXPECT_EQ(-EOPNOTSUPP, zxs_ioctl(self->fds[0],
						 ZXS_IOC_GET_INFO, &in))
			TH_LOG("topic %#x", bad[i]);
	}
}

TEST_F(ep, get_info_short_buffer_enobufs_with_avail)
{
	static const struct { __u32 topic; __u64 size; } cases[] = {
		{ ZXS_INFO_SOCKET, sizeof(struct zxs_info_socket) - 1 },
		{ ZXS_INFO_SOCKET, 0 },
		{ ZXS_INFO_HANDLE_BASIC,
		  sizeof(struct zxs_info_handle_basic) - 1 },
		{ ZXS_INFO_HANDLE_BASIC, 0 },
	};
	uint8_t rec[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct zxs_info in = {
			.topic = cases[i].topic,
			.buffer = cases[i].size ? (__u64)(uintptr_t)rec : 0,
			.buffer_size = cases[i].size,
			.actual = 99, .avail = 99,
		};

		memset(rec, 0xaa, sizeof(rec));
		EXPECT_EQ(-ENOBUFS, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO,
					      &in))
			TH_LOG("topic %u size %llu", cases[i].topic,
			       (unsigned long long)cases[i].size);
		/* The caller learns how much room one record needs. */
		EXPECT_EQ(0, in.actual);
		EXPECT_EQ(1, in.avail);
		/* And no partial record was written. */
		EXPECT_EQ(0xaa, rec[0]);
	}
}

TEST_F(ep, get_info_bad_buffer_einval)
{
	struct zxs_info_socket *ro;
	struct zxs_info in = { .topic = ZXS_INFO_SOCKET,
			       .buffer_size = sizeof(struct zxs_info_socket) };

	in.buffer = (__u64)(uintptr_t)zxs_unmapped_page();
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	ro = zxs_readonly_copy("", 1);
	ASSERT_NE(NULL, ro);
	in.buffer = (__u64)(uintptr_t)ro;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	in.topic = ZXS_INFO_HANDLE_BASIC;
	in.buffer_size = sizeof(struct zxs_info_handle_basic);
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	munmap(ro, zxs_page_size());
}

TEST_F(ep, get_info_zeroes_padding_and_stays_in_buffer)
{
	struct {
		struct zxs_info_handle_basic basic;
		uint8_t after[16];
	} b;
	struct {
		struct zxs_info_socket sock;
		uint8_t after[16];
	} s;
	struct zxs_info in = { .topic = ZXS_INFO_HANDLE_BASIC,
			       .buffer = (__u64)(uintptr_t)&b,
			       .buffer_size = sizeof(b) };
	size_t i;

	memset(&b, 0xff, sizeof(b));
	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	EXPECT_EQ(1, in.actual);
	EXPECT_EQ(1, in.avail);
	EXPECT_EQ(0, b.basic.reserved);
	for (i = 0; i < sizeof(b.basic.padding); i++) {
		EXPECT_EQ(0, b.basic.padding[i]);
	}
	EXPECT_EQ(ZXS_OBJ_TYPE_SOCKET, b.basic.type);
	EXPECT_EQ(ZXS_DEFAULT_RIGHTS, b.basic.rights);
	/* A larger buffer gets one record and nothing past it. */
	for (i = 0; i < sizeof(b.after); i++) {
		EXPECT_EQ(0xff, b.after[i]);
	}

	memset(&s, 0xff, sizeof(s));
	in = (struct zxs_info){ .topic = ZXS_INFO_SOCKET,
				.buffer = (__u64)(uintptr_t)&s,
				.buffer_size = sizeof(s) };
	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_GET_INFO, &in));
	EXPECT_EQ(1, in.actual);
	EXPECT_EQ(1, in.avail);
	for (i = 0; i < sizeof(s.sock.padding); i++) {
		EXPECT_EQ(0, s.sock.padding[i]);
	}
	EXPECT_EQ(ZXS_STREAM, s.sock.options);
	EXPECT_EQ(self->cap, s.sock.rx_buf_max);
	EXPECT_EQ(0, s.sock.rx_buf_size);
	for (i = 0; i < sizeof(s.after); i++) {
		EXPECT_EQ(0xff, s.after[i]);
	}
}

/* ------------------------------------------------------ GET_PROPERTY */

TEST_F(ep, get_property_unreadable_arg_efault)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8 };

	expect_arg_unreadable_efault(_metadata, self->fds[0],
				     ZXS_IOC_GET_PROPERTY, &p, sizeof(p));
}

TEST_F(ep, get_property_readonly_arg_efault)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8 };

	expect_arg_readonly_efault(_metadata, self->fds[0],
				   ZXS_IOC_GET_PROPERTY, &p, sizeof(p));
}

TEST_F(ep, get_property_cmd_misencoded_enotty)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8 };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0],
				     ZXS_IOC_GET_PROPERTY, &p, sizeof(p));
}

TEST_F(ep, get_property_unknown_property_einval_short_size_enobufs)
{
	static const __u32 bad[] = { 0, 3, 11, 14, 0xffffffffu };
	struct zxs_property p = { .size = 8 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p.property = bad[i];
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0],
					     ZXS_IOC_GET_PROPERTY, &p))
			TH_LOG("property %u", bad[i]);
	}
	p = (struct zxs_property){ .property = ZXS_PROP_SOCKET_TX_THRESHOLD,
				   .size = 7, .value = 1234 };
	EXPECT_EQ(-ENOBUFS, zxs_ioctl(self->fds[0], ZXS_IOC_GET_PROPERTY, &p));
	p.size = 0;
	EXPECT_EQ(-ENOBUFS, zxs_ioctl(self->fds[0], ZXS_IOC_GET_PROPERTY, &p));
	/* A larger value buffer is fine; the threshold starts disabled. */
	p.size = 16;
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_GET_PROPERTY, &p));
	EXPECT_EQ(0, p.value);
}

/* ------------------------------------------------------ SET_PROPERTY */

TEST_F(ep, set_property_unreadable_arg_efault)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8, .value = 1 };

	expect_arg_unreadable_efault(_metadata, self->fds[0],
				     ZXS_IOC_SET_PROPERTY, &p, sizeof(p));
}

TEST_F(ep, set_property_cmd_misencoded_enotty)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8, .value = 1 };

	expect_cmd_misencoded_enotty(_metadata, self->fds[0],
				     ZXS_IOC_SET_PROPERTY, &p, sizeof(p));
	p.value = 0xdead;
	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_GET_PROPERTY, &p));
	EXPECT_EQ(0, p.value);
}

TEST_F(ep, set_property_errors_in_order)
{
	struct zxs_property p = { .property = 14, .size = 8, .value = 1 };
	int no_set;

	/* Rights first: unknown property, short size and all. */
	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0],
				       ZXS_DEFAULT_RIGHTS &
				       ~ZXS_RIGHT_SET_PROPERTY, 0, &no_set));
	p.size = 4;
	EXPECT_EQ(-EACCES, zxs_ioctl(no_set, ZXS_IOC_SET_PROPERTY, &p));
	close(no_set);

	/* Then the property, then the size. */
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	p.property = ZXS_PROP_SOCKET_TX_THRESHOLD;
	EXPECT_EQ(-ENOBUFS, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));

	/* A threshold above capacity; exactly capacity is fine. */
	p.size = 8;
	p.value = self->cap + 1;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	p.property = ZXS_PROP_SOCKET_RX_THRESHOLD;
	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	p.value = self->cap;
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));

	/* With the peer gone: short size, then EPIPE, then the capacity. */
	close(self->fds[1]);
	self->fds[1] = -1;
	p.property = ZXS_PROP_SOCKET_TX_THRESHOLD;
	p.size = 4;
	p.value = 1;
	EXPECT_EQ(-ENOBUFS, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	p.size = 8;
	EXPECT_EQ(-EPIPE, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	p.value = self->cap + 1;
	EXPECT_EQ(-EPIPE, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
	/* The receive side is ours alone and still settable. */
	p.property = ZXS_PROP_SOCKET_RX_THRESHOLD;
	p.value = 1;
	EXPECT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SET_PROPERTY, &p));
}

/* --------------------------------------------------------- DUPLICATE */

TEST_F(ep, duplicate_unreadable_arg_efault)
{
	struct zxs_duplicate d = { .rights = ZXS_RIGHT_SAME_RIGHTS };
	int free_fd = zxs_lowest_free_fd();

	expect_arg_unreadable_efault(_metadata, self->fds[0],
				     ZXS_IOC_DUPLICATE, &d, sizeof(d));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
}

TEST_F(ep, duplicate_readonly_arg_efault_leaks_no_fd)
{
	struct zxs_duplicate d = { .rights = ZXS_RIGHT_SAME_RIGHTS };
	int free_fd = zxs_lowest_free_fd();

	expect_arg_readonly_efault(_metadata, self->fds[0], ZXS_IOC_DUPLICATE,
				   &d, sizeof(d));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
	/* No hidden extra reference either: closing the fd kills the end. */
	close(self->fds[0]);
	self->fds[0] = -1;
	EXPECT_EQ(ZXS_SIGNAL_PEER_CLOSED, zxs_raw_signals(self->fds[1]));
}

TEST_F(ep, duplicate_cmd_misencoded_enotty)
{
	struct zxs_duplicate d = { .rights = ZXS_RIGHT_SAME_RIGHTS };
	int free_fd = zxs_lowest_free_fd();

	expect_cmd_misencoded_enotty(_metadata, self->fds[0],
				     ZXS_IOC_DUPLICATE, &d, sizeof(d));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
}

TEST_F(ep, duplicate_reserved_and_unknown_flags_einval)
{
	static const __u32 bad_flags[] = { 1u << 1, 1u << 2, 1u << 10,
					   1u << 31 };
	struct zxs_duplicate d = { .rights = ZXS_RIGHT_SAME_RIGHTS,
				   .reserved = 1 };
	int free_fd = zxs_lowest_free_fd();
	size_t i;

	EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_DUPLICATE, &d));
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		d = (struct zxs_duplicate){ .rights = ZXS_RIGHT_SAME_RIGHTS,
					    .flags = bad_flags[i] };
		EXPECT_EQ(-EINVAL, zxs_ioctl(self->fds[0], ZXS_IOC_DUPLICATE,
					     &d)) TH_LOG("flags %#x", bad_flags[i]);
	}
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
}

TEST_F(ep, duplicate_rights_must_be_subset)
{
	struct zxs_info_handle_basic basic;
	int small, fd;

	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0],
				       ZXS_RIGHT_READ | ZXS_RIGHT_DUPLICATE, 0,
				       &small));
	ASSERT_EQ(0, zxs_raw_info_basic(small, &basic));
	EXPECT_EQ(ZXS_RIGHT_READ | ZXS_RIGHT_DUPLICATE, basic.rights);

	EXPECT_EQ(-EINVAL, zxs_raw_duplicate(small, ZXS_RIGHT_WRITE, 0, &fd));
	/* A right no socket has (EXECUTE) is never a subset. */
	EXPECT_EQ(-EINVAL, zxs_raw_duplicate(self->fds[0], 1u << 4, 0, &fd));
	EXPECT_EQ(-EINVAL, zxs_raw_duplicate(self->fds[0],
					     ZXS_RIGHT_SAME_RIGHTS | 1u, 0,
					     &fd));

	EXPECT_EQ(0, zxs_raw_duplicate(small, ZXS_RIGHT_SAME_RIGHTS, 0, &fd));
	ASSERT_EQ(0, zxs_raw_info_basic(fd, &basic));
	EXPECT_EQ(ZXS_RIGHT_READ | ZXS_RIGHT_DUPLICATE, basic.rights);
	close(fd);
	close(small);
}

TEST_F(ep, duplicate_needs_right_unless_replace)
{
	int no_dup, fd;

	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0],
				       ZXS_DEFAULT_RIGHTS & ~ZXS_RIGHT_DUPLICATE,
				       0, &no_dup));
	EXPECT_EQ(-EACCES, zxs_raw_duplicate(no_dup, ZXS_RIGHT_SAME_RIGHTS, 0,
					     &fd));
	EXPECT_EQ(0, zxs_raw_duplicate(no_dup, ZXS_RIGHT_READ, ZXS_DUP_REPLACE,
				       &fd));
	close(fd);
	close(no_dup);
}

TEST_F(ep, duplicate_fd_flags_and_access_mode)
{
	int fd;
	char c;

	/* Default: close-on-exec, blocking. */
	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0], ZXS_RIGHT_SAME_RIGHTS, 0,
				       &fd));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	close(fd);

	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0], ZXS_RIGHT_SAME_RIGHTS,
				       ZXS_DUP_FD_NONBLOCK |
				       ZXS_DUP_FD_NO_CLOEXEC, &fd));
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);

	/* The access mode follows READ and WRITE. */
	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0], ZXS_RIGHT_READ,
				       ZXS_DUP_FD_NONBLOCK, &fd));
	EXPECT_EQ(O_RDONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, write(fd, "w", 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);

	ASSERT_EQ(0, zxs_raw_duplicate(self->fds[0], ZXS_RIGHT_WRITE, 0, &fd));
	EXPECT_EQ(O_WRONLY, fcntl(fd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(1, write(fd, "w", 1));
	close(fd);
	EXPECT_EQ(1, zxs_raw_queued(self->fds[1]));
}

/*
 * Data path: bad data buffers and the order of READ/WRITE errors, on
 * stream and datagram sockets.
 */
FIXTURE(io)
{
	int dev;
	int fds[2];
	__u64 cap;
	bool datagram;
};

FIXTURE_VARIANT(io)
{
	__u32 options;
};

FIXTURE_VARIANT_ADD(io, stream)
{
	.options = ZXS_STREAM,
};

FIXTURE_VARIANT_ADD(io, datagram)
{
	.options = ZXS_DATAGRAM,
};

FIXTURE_SETUP(io)
{
	struct zxs_info_socket info;

	self->dev = zxs_raw_open();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, zxs_raw_create(self->dev, variant->options, 0, self->fds));
	ASSERT_EQ(0, zxs_raw_info_socket(self->fds[0], &info));
	self->cap = info.rx_buf_max;
	self->datagram = variant->options & ZXS_DATAGRAM;
	ASSERT_LT(8192, self->cap);
}

FIXTURE_TEARDOWN(io)
{
	if (self->fds[0] >= 0)
		close(self->fds[0]);
	if (self->fds[1] >= 0)
		close(self->fds[1]);
	close(self->dev);
}

static int drop_rights(int fd, __u32 rights)
{
	int out = -1;

	if (zxs_raw_duplicate(fd, ZXS_DEFAULT_RIGHTS & ~rights, 0, &out))
		return -1;
	return out;
}

TEST_F(io, write_unreadable_buf_queues_nothing)
{
	size_t pg = zxs_page_size();
	uint8_t *half = zxs_half_mapped_pages();
	__u64 actual = 0;
	char buf[8];

	ASSERT_NE(NULL, half);
	EXPECT_EQ(-EINVAL, zxs_raw_write(self->fds[0], 0, zxs_unmapped_page(),
					 100, NULL));
	/*
	 * A buffer whose first 100 bytes are fine: a module that copied as it
	 * went would have queued them (Fuchsia may; zxsocket must not).
	 */
	memset(half, 'h', pg);
	EXPECT_EQ(-EINVAL, zxs_raw_write(self->fds[0], 0, half + pg - 100,
					 4000, NULL));
	EXPECT_EQ(-EINVAL, zxs_raw_write(self->fds[0], 0, half + pg - 100,
					 101, NULL));
	EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));

	/* The next good write is all the reader gets. */
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "good", 4, &actual));
	EXPECT_EQ(4, zxs_raw_queued(self->fds[1]));
	ASSERT_EQ(0, zxs_raw_read(self->fds[1], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(4, actual);
	EXPECT_EQ(0, memcmp(buf, "good", 4));
	munmap(half, pg);
}

TEST_F(io, read_unwritable_buf_consumes_stream_drops_one_datagram)
{
	size_t pg = zxs_page_size();
	uint8_t *half = zxs_half_mapped_pages();
	void *ro = zxs_readonly_copy("", 1);
	static uint8_t data[6000], got[6000];
	__u64 actual = 0, queued;

	ASSERT_NE(NULL, half);
	ASSERT_NE(NULL, ro);
	zxs_pattern_fill(data, sizeof(data), 1, 0);
	/* Stream: 6000 + 10 bytes; datagram: a 6000-byte and a 10-byte one. */
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, data, sizeof(data), NULL));
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "second one", 10, NULL));
	queued = sizeof(data) + 10;
	ASSERT_EQ(queued, zxs_raw_queued(self->fds[1]));

	/* Unmapped, read-only, and partly mapped (the first 100 bytes fit). */
	EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], 0, zxs_unmapped_page(),
					sizeof(data), NULL));
	if (!self->datagram) {
		EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], 0, ro,
						sizeof(data), NULL));
		EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], 0,
						half + pg - 100, sizeof(data),
						NULL));
		/* A stream read that faulted took nothing. */
		EXPECT_EQ(queued, zxs_raw_queued(self->fds[1]));
		ASSERT_EQ(0, zxs_raw_read(self->fds[1], 0, got, sizeof(got),
					  &actual));
		EXPECT_EQ(sizeof(got), actual);
		EXPECT_EQ(-1, zxs_pattern_check(got, sizeof(got), 1, 0));
	} else {
		/* It took the datagram it was reading, and only that one. */
		EXPECT_EQ(10, zxs_raw_queued(self->fds[1]));
		EXPECT_EQ(ZXS_SIGNAL_WRITABLE | ZXS_SIGNAL_READABLE,
			  zxs_raw_signals(self->fds[1]));
		/* The same for a buffer that faults after its first 5 bytes. */
		EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], 0,
						half + pg - 5, 10, NULL));
		EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
		EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(self->fds[1]));
		EXPECT_EQ(-EAGAIN, zxs_raw_read(self->fds[1], 0, got,
						sizeof(got), NULL));
		/* And for a read-only one. */
		ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "third", 5, NULL));
		EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], 0, ro, 5, NULL));
		EXPECT_EQ(0, zxs_raw_queued(self->fds[1]));
	}
	munmap(half, pg);
	munmap(ro, pg);
}

TEST_F(io, peek_unwritable_buf_drops_nothing)
{
	size_t pg = zxs_page_size();
	uint8_t *half = zxs_half_mapped_pages();
	char buf[16];
	__u64 actual = 0;

	ASSERT_NE(NULL, half);
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "first", 5, NULL));
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "second", 6, NULL));
	EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], ZXS_PEEK,
					zxs_unmapped_page(), 11, NULL));
	EXPECT_EQ(-EINVAL, zxs_raw_read(self->fds[1], ZXS_PEEK, half + pg - 2,
					11, NULL));
	EXPECT_EQ(11, zxs_raw_queued(self->fds[1]));
	ASSERT_EQ(0, zxs_raw_read(self->fds[1], 0, buf, sizeof(buf), &actual));
	if (self->datagram) {
		EXPECT_EQ(5, actual);
		EXPECT_EQ(0, memcmp(buf, "first", 5));
	} else {
		EXPECT_EQ(11, actual);
		EXPECT_EQ(0, memcmp(buf, "firstsecond", 11));
	}
	munmap(half, pg);
}

TEST_F(io, write_errors_invalid_before_access_before_peer_closed)
{
	int no_write = drop_rights(self->fds[0], ZXS_RIGHT_WRITE);

	ASSERT_LE(0, no_write);
	EXPECT_EQ(-EINVAL, zxs_raw_write(no_write, 0, NULL, 1, NULL));
	EXPECT_EQ(-EINVAL, zxs_raw_write(no_write, ZXS_PEEK, "x", 1, NULL));
	EXPECT_EQ(-EACCES, zxs_raw_write(no_write, 0, "x", 1, NULL));
	close(self->fds[1]);
	self->fds[1] = -1;
	EXPECT_EQ(-EACCES, zxs_raw_write(no_write, 0, "x", 1, NULL));
	EXPECT_EQ(-EPIPE, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	close(no_write);
}

TEST_F(io, write_errors_peer_closed_before_write_disabled)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE };

	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN, &sd));
	EXPECT_EQ(-EBADFD, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	close(self->fds[1]);
	self->fds[1] = -1;
	EXPECT_EQ(-EPIPE, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	EXPECT_EQ(-EPIPE, zxs_raw_write(self->fds[0], 0, zxs_unmapped_page(),
					1, NULL));
}

TEST_F(io, write_errors_write_disabled_before_full_before_bad_buf)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE };

	ASSERT_EQ(0, zxs_raw_fill(self->fds[0]));
	EXPECT_EQ(-EAGAIN, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	EXPECT_EQ(-EAGAIN, zxs_raw_write(self->fds[0], 0, zxs_unmapped_page(),
					 1, NULL));
	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN, &sd));
	EXPECT_EQ(-EBADFD, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
}

TEST_F(io, write_errors_full_before_out_of_range)
{
	static uint8_t big[1 << 20];

	ASSERT_GE(sizeof(big), self->cap + 1);
	ASSERT_EQ(0, zxs_raw_fill(self->fds[0]));
	/* Full wins, even for a datagram that could never fit. */
	EXPECT_EQ(-EAGAIN, zxs_raw_write(self->fds[0], 0, big, self->cap + 1,
					 NULL));
}

TEST_F(io, write_errors_out_of_range_before_no_room)
{
	static uint8_t big[1 << 20];
	__u64 actual = 0;

	ASSERT_GE(sizeof(big), self->cap + 1);
	/* Partly full: one byte queued. */
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "x", 1, NULL));
	if (self->datagram) {
		EXPECT_EQ(-ERANGE, zxs_raw_write(self->fds[0], 0, big,
						 self->cap + 1, NULL));
		EXPECT_EQ(-EAGAIN, zxs_raw_write(self->fds[0], 0, big,
						 self->cap, NULL));
		EXPECT_EQ(-ERANGE, zxs_raw_write(self->fds[0], 0,
						 zxs_unmapped_page(),
						 self->cap + 1, NULL));
		EXPECT_EQ(1, zxs_raw_queued(self->fds[1]));
	} else {
		/* A stream write takes what fits. */
		EXPECT_EQ(0, zxs_raw_write(self->fds[0], 0, big, self->cap + 1,
					   &actual));
		EXPECT_EQ(self->cap - 1, actual);
		EXPECT_EQ(self->cap, zxs_raw_queued(self->fds[1]));
	}
}

TEST_F(io, read_errors_invalid_before_access_before_empty)
{
	int no_read = drop_rights(self->fds[1], ZXS_RIGHT_READ);
	char c;

	ASSERT_LE(0, no_read);
	EXPECT_EQ(-EINVAL, zxs_raw_read(no_read, 0, NULL, 1, NULL));
	EXPECT_EQ(-EINVAL, zxs_raw_read(no_read, 1u << 0, &c, 1, NULL));
	/* Empty queue, peer alive: still the right comes first. */
	EXPECT_EQ(-EACCES, zxs_raw_read(no_read, 0, &c, 1, NULL));
	EXPECT_EQ(-EACCES, zxs_raw_read(no_read, ZXS_PEEK, &c, 1, NULL));
	EXPECT_EQ(-EAGAIN, zxs_raw_read(self->fds[1], 0, &c, 1, NULL));
	close(self->fds[0]);
	self->fds[0] = -1;
	EXPECT_EQ(-EACCES, zxs_raw_read(no_read, 0, &c, 1, NULL));
	EXPECT_EQ(-EPIPE, zxs_raw_read(self->fds[1], 0, &c, 1, NULL));
	close(no_read);
}

TEST_F(io, read_errors_peer_closed_before_disabled_before_should_wait)
{
	struct zxs_shutdown sd = { .options = ZXS_SHUTDOWN_WRITE };
	char c;

	EXPECT_EQ(-EAGAIN, zxs_raw_read(self->fds[1], 0, &c, 1, NULL));
	EXPECT_EQ(-EAGAIN, zxs_raw_read(self->fds[1], 0, zxs_unmapped_page(),
					1, NULL));
	/* The writer stops: the empty queue will never fill again. */
	ASSERT_EQ(0, zxs_ioctl(self->fds[0], ZXS_IOC_SHUTDOWN, &sd));
	EXPECT_EQ(-EBADFD, zxs_raw_read(self->fds[1], 0, &c, 1, NULL));
	EXPECT_EQ(-EBADFD, zxs_raw_read(self->fds[1], ZXS_PEEK, &c, 1, NULL));
	EXPECT_EQ(-EBADFD, zxs_raw_read(self->fds[1], 0, zxs_unmapped_page(),
					1, NULL));
	close(self->fds[0]);
	self->fds[0] = -1;
	EXPECT_EQ(-EPIPE, zxs_raw_read(self->fds[1], 0, &c, 1, NULL));
	EXPECT_EQ(-EPIPE, zxs_raw_read(self->fds[1], 0, zxs_unmapped_page(),
				       1, NULL));
}

TEST_HARNESS_MAIN
