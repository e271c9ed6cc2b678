// SPDX-License-Identifier: GPL-2.0
/*
 * device_test: /dev/zxsocket itself, ZXS_IOC_CREATE and the module's
 * lifetime.
 *
 * Only raw open()/ioctl() here, never libzxsocket: the library keeps
 * /dev/zxsocket open once it has used it, and an open device fd pins the
 * module, which would make the unload tests fail for the wrong reason.
 *
 * The unload tests need root and ZXS_MODULE (the guest path of the .ko);
 * without ZXS_MODULE they skip, because a module that was unloaded could
 * not be put back.  The module is always left loaded.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <termios.h>

/*
 * The 6.12 harness's TEST_F() wrapper keeps a local across setjmp(), which
 * -Wextra's -Wclobbered flags depending on inlining; the variable is not
 * used after longjmp() in a way that matters.
 */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_raw_util.h"

#define MODULE_NAME		"zxsocket"
#define MODULE_SYSFS		"/sys/module/" MODULE_NAME
#define MISC_MAJOR_NUMBER	10

static bool module_loaded(void)
{
	return access(MODULE_SYSFS, F_OK) == 0;
}

/* Wait for devtmpfs to show or drop the device node after (un)loading. */
static bool wait_for_node(bool present)
{
	int64_t end = zxs_now_ns() + ZXS_LONG_NS;

	do {
		if ((access(ZXS_DEVICE_PATH, F_OK) == 0) == present)
			return true;
		zxs_sleep_ns(10 * ZXS_NSEC_PER_MSEC);
	} while (zxs_now_ns() < end);
	return false;
}

/* Run a shell command; true if it exited with status 0. */
static bool run(const char *fmt, const char *arg)
{
	char cmd[4096];
	int status;

	snprintf(cmd, sizeof(cmd), fmt, arg);
	status = system(cmd);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool load_module(const char *path)
{
	return run("insmod '%s'", path) && wait_for_node(true);
}

/* delete_module(2) as rmmod calls it; returns 0 or -errno. */
static int try_unload(void)
{
	if (syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK | O_EXCL))
		return -errno;
	return 0;
}

/* One byte through a fresh pair: the device works. */
static int roundtrip(int dev)
{
	int fds[2], ret;
	__u64 actual = 0;
	char c = 0;

	ret = zxs_raw_create(dev, ZXS_STREAM, 0, fds);
	if (ret)
		return ret;
	ret = zxs_raw_write(fds[0], 0, "z", 1, &actual);
	if (!ret)
		ret = zxs_raw_read(fds[1], 0, &c, 1, &actual);
	if (!ret && (actual != 1 || c != 'z'))
		ret = -EIO;
	close(fds[0]);
	close(fds[1]);
	return ret;
}

TEST(device_node_is_misc_char_device_mode_0666)
{
	struct stat st;
	char sysfs_dev[64] = "";
	char expect[64];
	int fd;

	ASSERT_EQ(0, stat(ZXS_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	/* Every user may create sockets, as on Fuchsia. */
	EXPECT_EQ(0666, st.st_mode & 07777);
	EXPECT_EQ(MISC_MAJOR_NUMBER, major(st.st_rdev));

	/* The node is the misc device the module registered, not a stale one. */
	fd = open("/sys/class/misc/" MODULE_NAME "/dev", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, sysfs_dev, sizeof(sysfs_dev) - 1));
	close(fd);
	snprintf(expect, sizeof(expect), "%u:%u\n", major(st.st_rdev),
		 minor(st.st_rdev));
	EXPECT_STREQ(expect, sysfs_dev);
}

TEST(device_opens_read_write_and_read_only)
{
	int fd = open(ZXS_DEVICE_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, roundtrip(fd));
	close(fd);

	/* Creating a socket writes nothing to the device: O_RDONLY will do. */
	fd = open(ZXS_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, roundtrip(fd));
	close(fd);
}

TEST(device_unknown_ioctl_is_enotty)
{
	struct zxs_create c = { 0 };
	int dev = zxs_raw_open();

	ASSERT_LE(0, dev);
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, _IO(ZXS_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, _IOWR(ZXS_IOC_MAGIC, 0x0f,
						struct zxs_create), &c));
	/* Another driver's magic with CREATE's number and size. */
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, _IOWR('x', 0x00, struct zxs_create),
				     &c));
	/* A tty ioctl: isatty() must say no, as for any non-tty. */
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, TCGETS, &c));
	EXPECT_FALSE(isatty(dev));
	close(dev);
}

TEST(create_returns_two_connected_endpoint_fds)
{
	struct zxs_info_handle_basic basic;
	char link[64], path[64], want[64];
	int dev, fds[2], i;
	__u64 actual = 0;
	char buf[8] = "";
	ssize_t n;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	EXPECT_LE(0, fds[0]);
	EXPECT_LE(0, fds[1]);
	EXPECT_NE(fds[0], fds[1]);
	EXPECT_NE(dev, fds[0]);
	EXPECT_NE(dev, fds[1]);

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[i]);
		n = readlink(path, link, sizeof(link) - 1);
		ASSERT_LT(0, n);
		link[n] = '\0';
		/* Each handle is its own inode, named after its koid. */
		ASSERT_EQ(0, zxs_raw_info_basic(fds[i], &basic));
		snprintf(want, sizeof(want), "zxsocket:[%llu]",
			 (unsigned long long)basic.koid);
		EXPECT_STREQ(want, link);
		/* Default rights include READ and WRITE, so the file is O_RDWR. */
		EXPECT_EQ(O_RDWR, fcntl(fds[i], F_GETFL) & O_ACCMODE);
	}

	/* The two fds are the two ends of one socket. */
	ASSERT_EQ(0, zxs_raw_write(fds[0], 0, "ping", 4, &actual));
	ASSERT_EQ(0, zxs_raw_read(fds[1], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(4, actual);
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	ASSERT_EQ(0, zxs_raw_write(fds[1], 0, "pong", 4, &actual));
	ASSERT_EQ(0, zxs_raw_read(fds[0], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(4, actual);
	EXPECT_EQ(0, memcmp(buf, "pong", 4));

	close(fds[0]);
	close(fds[1]);
	close(dev);
}

TEST(create_fds_are_cloexec_and_blocking_by_default)
{
	int dev, fds[2], i;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(FD_CLOEXEC, fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
		EXPECT_EQ(0, fcntl(fds[i], F_GETFL) & O_NONBLOCK);
		close(fds[i]);
	}
	close(dev);
}

TEST(create_no_cloexec_flag_clears_cloexec)
{
	int dev, fds[2], i;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_DATAGRAM, ZXS_FD_NO_CLOEXEC, fds));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
		EXPECT_EQ(0, fcntl(fds[i], F_GETFL) & O_NONBLOCK);
		close(fds[i]);
	}
	close(dev);
}

TEST(create_nonblock_flag_sets_o_nonblock)
{
	int dev, fds[2], i;
	char c;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, ZXS_FD_NONBLOCK, fds));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(O_NONBLOCK, fcntl(fds[i], F_GETFL) & O_NONBLOCK);
		EXPECT_EQ(FD_CLOEXEC, fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
	}
	/* And it means what it says: read(2) on an empty queue won't block. */
	EXPECT_EQ(-1, read(fds[0], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(fds[0]);
	close(fds[1]);

	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM,
				    ZXS_FD_NONBLOCK | ZXS_FD_NO_CLOEXEC, fds));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(O_NONBLOCK, fcntl(fds[i], F_GETFL) & O_NONBLOCK);
		EXPECT_EQ(0, fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
		close(fds[i]);
	}
	close(dev);
}

TEST(create_accepts_every_valid_option_and_flag)
{
	const __u32 all_options = ZXS_DATAGRAM | ZXS_HAS_CONTROL |
				  ZXS_HAS_ACCEPT;
	const __u32 all_flags = ZXS_FD_NONBLOCK | ZXS_FD_NO_CLOEXEC;
	__u32 options, flags;
	int dev, fds[2];

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	for (options = 0; options <= all_options; options++) {
		for (flags = 0; flags <= all_flags; flags++) {
			int ret = zxs_raw_create(dev, options, flags, fds);

			EXPECT_EQ(0, ret)
				TH_LOG("options %#x flags %#x", options, flags);
			if (ret)
				continue;
			close(fds[0]);
			close(fds[1]);
		}
	}
	close(dev);
}

TEST(create_rejects_unknown_options_and_flags)
{
	static const __u32 bad_options[] = { 1u << 3, 1u << 8, 1u << 31 };
	static const __u32 bad_flags[] = { 1u << 2, 1u << 8, 1u << 31 };
	int dev, fds[2], free_fd;
	size_t i;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	free_fd = zxs_lowest_free_fd();
	for (i = 0; i < ARRAY_SIZE(bad_options); i++) {
		EXPECT_EQ(-EINVAL, zxs_raw_create(dev, bad_options[i], 0, fds))
			TH_LOG("options %#x", bad_options[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		EXPECT_EQ(-EINVAL, zxs_raw_create(dev, 0, bad_flags[i], fds))
			TH_LOG("flags %#x", bad_flags[i]);
	}
	/* A valid option does not make an unknown one acceptable. */
	EXPECT_EQ(-EINVAL, zxs_raw_create(dev, ZXS_DATAGRAM | (1u << 3), 0,
					  fds));
	EXPECT_EQ(-EINVAL, zxs_raw_create(dev, 0,
					  ZXS_FD_NONBLOCK | (1u << 2), fds));
	/* The rejected calls left no fd behind. */
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
	close(dev);
}

TEST(endpoints_outlive_the_device_fd)
{
	int dev, fds[2];
	__u64 actual = 0;
	char c = 0;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	ASSERT_EQ(0, close(dev));

	/* The socket does not depend on the fd it was created through. */
	EXPECT_EQ(0, zxs_raw_write(fds[0], 0, "k", 1, &actual));
	EXPECT_EQ(0, zxs_raw_read(fds[1], 0, &c, 1, &actual));
	EXPECT_EQ('k', c);
	EXPECT_EQ(ZXS_SIGNAL_WRITABLE, zxs_raw_signals(fds[1]));
	close(fds[0]);
	close(fds[1]);
}

TEST(endpoint_unknown_ioctl_is_enotty)
{
	struct zxs_io io = { 0 };
	int dev, fds[2];

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], _IO(ZXS_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], _IOWR(ZXS_IOC_MAGIC, 0x1f,
						   struct zxs_io), &io));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], _IOWR('x', 0x10, struct zxs_io),
				     &io));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], TCGETS, &io));
	EXPECT_FALSE(isatty(fds[0]));
	close(fds[0]);
	close(fds[1]);
	close(dev);
}

TEST(endpoint_is_not_seekable)
{
	int dev, fds[2];
	char c;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	ASSERT_EQ(0, zxs_raw_write(fds[0], 0, "s", 1, NULL));
	/* An endpoint is a stream like a pipe: no position to seek or pread at. */
	EXPECT_EQ(-1, lseek(fds[1], 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(fds[1], &c, 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pwrite(fds[0], "p", 1, 0));
	EXPECT_EQ(ESPIPE, errno);
	close(fds[0]);
	close(fds[1]);
	close(dev);
}

/*
 * Every endpoint ioctl, each with a struct valid enough that only the fd
 * type can be the reason for a refusal.
 */
TEST(device_rejects_endpoint_ioctls)
{
	char data[4] = "abc";
	struct zxs_io io = { .buf = (__u64)(uintptr_t)data, .len = 1 };
	struct zxs_disposition disp = { 0 };
	struct zxs_shutdown sd = { 0 };
	struct zxs_signal sig = { 0 };
	struct zxs_wait_one wo = { .signals = ZXS_SIGNAL_WRITABLE };
	struct zxs_info_handle_basic basic;
	struct zxs_info info = { .topic = ZXS_INFO_HANDLE_BASIC,
				 .buffer = (__u64)(uintptr_t)&basic,
				 .buffer_size = sizeof(basic) };
	struct zxs_property prop = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				     .size = 8 };
	struct zxs_duplicate dup = { .rights = ZXS_RIGHT_SAME_RIGHTS };
	int dev, free_fd;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	free_fd = zxs_lowest_free_fd();
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_WRITE, &io));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_READ, &io));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_SET_DISPOSITION, &disp));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_SHUTDOWN, &sd));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_SIGNAL, &sig));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_WAIT_ONE, &wo));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_GET_INFO, &info));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_GET_PROPERTY, &prop));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_SET_PROPERTY, &prop));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(dev, ZXS_IOC_DUPLICATE, &dup));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
	close(dev);
}

TEST(endpoint_rejects_device_ioctls)
{
	struct zxs_create c = { 0 };
	struct zxs_wait_item item;
	struct zxs_wait_many wm = { .count = 1, .deadline = 0 };
	int dev, fds[2], free_fd;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);
	ASSERT_EQ(0, zxs_raw_create(dev, ZXS_STREAM, 0, fds));
	item = (struct zxs_wait_item){ .fd = fds[0],
				       .waitfor = ZXS_SIGNAL_WRITABLE };
	wm.items = (__u64)(uintptr_t)&item;

	free_fd = zxs_lowest_free_fd();
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], ZXS_IOC_CREATE, &c));
	EXPECT_EQ(-ENOTTY, zxs_ioctl(fds[0], ZXS_IOC_WAIT_MANY, &wm));
	EXPECT_EQ(free_fd, zxs_lowest_free_fd());
	/* The same wait on the device fd is fine: the refusal was the fd. */
	EXPECT_EQ(0, zxs_ioctl(dev, ZXS_IOC_WAIT_MANY, &wm));
	close(fds[0]);
	close(fds[1]);
	close(dev);
}

/*
 * The unload tests.  The fixture's teardown reloads the module if a test
 * left it unloaded, so a failure in one of them does not take the rest of
 * the suite (and every later selftest binary) down with it.  It runs in the
 * parent, after the test process and so all its fds are gone (an open fd
 * would make the reload moot), and it runs even if the test died.
 */
FIXTURE(module)
{
	const char *path;
	int dev;
	int fds[2];
};

FIXTURE_SETUP(module)
{
	self->dev = -1;
	self->fds[0] = -1;
	self->fds[1] = -1;
	self->path = getenv("ZXS_MODULE");
	if (geteuid() != 0)
		SKIP(return, "unloading a module needs root");
	if (access(MODULE_SYSFS "/refcnt", F_OK))
		SKIP(return, "zxsocket is not a loaded, unloadable module");
}

FIXTURE_TEARDOWN_PARENT(module)
{
	if (!module_loaded() && self->path && *self->path)
		load_module(self->path);
}

TEST_F(module, rmmod_refused_while_device_fd_open)
{
	self->dev = zxs_raw_open();
	ASSERT_LE(0, self->dev);

	/* rmmod(8) fails, and delete_module(2) says why: the module is busy. */
	EXPECT_FALSE(run("rmmod %s 2>/dev/null", MODULE_NAME));
	EXPECT_EQ(-EWOULDBLOCK, try_unload());
	ASSERT_TRUE(module_loaded());

	/* Nothing was torn down by the refused attempt. */
	EXPECT_EQ(0, roundtrip(self->dev));
}

TEST_F(module, rmmod_refused_while_endpoint_fd_open)
{
	__u64 actual = 0;
	char c = 0;

	self->dev = zxs_raw_open();
	ASSERT_LE(0, self->dev);
	ASSERT_EQ(0, zxs_raw_create(self->dev, ZXS_STREAM, 0, self->fds));
	ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "q", 1, &actual));
	/* Only endpoints stay open: they alone must pin the module. */
	close(self->dev);
	self->dev = -1;
	close(self->fds[0]);
	self->fds[0] = -1;

	EXPECT_FALSE(run("rmmod %s 2>/dev/null", MODULE_NAME));
	EXPECT_EQ(-EWOULDBLOCK, try_unload());
	ASSERT_TRUE(module_loaded());

	/* The surviving endpoint still holds its data and knows its peer died. */
	EXPECT_EQ(ZXS_SIGNAL_READABLE | ZXS_SIGNAL_PEER_CLOSED,
		  zxs_raw_signals(self->fds[1]));
	EXPECT_EQ(0, zxs_raw_read(self->fds[1], 0, &c, 1, &actual));
	EXPECT_EQ('q', c);
}

TEST_F_TIMEOUT(module, module_reloads_five_times, 120)
{
	int i;

	if (!self->path || !*self->path)
		SKIP(return, "ZXS_MODULE is not set: cannot reload the module");

	for (i = 0; i < 5; i++) {
		ASSERT_TRUE(run("rmmod %s", MODULE_NAME)) TH_LOG("round %d", i);
		EXPECT_FALSE(module_loaded());
		EXPECT_TRUE(wait_for_node(false)) TH_LOG("round %d", i);

		ASSERT_TRUE(load_module(self->path)) TH_LOG("round %d", i);
		ASSERT_TRUE(module_loaded());

		/* A socket made, used and dropped on each incarnation. */
		self->dev = zxs_raw_open();
		ASSERT_LE(0, self->dev) TH_LOG("round %d", i);
		EXPECT_EQ(0, roundtrip(self->dev)) TH_LOG("round %d", i);
		ASSERT_EQ(0, zxs_raw_create(self->dev, ZXS_DATAGRAM, 0,
					    self->fds));
		ASSERT_EQ(0, zxs_raw_write(self->fds[0], 0, "dg", 2, NULL));
		close(self->fds[0]);
		close(self->fds[1]);
		self->fds[0] = self->fds[1] = -1;
		close(self->dev);
		self->dev = -1;
	}
	/* The fixture's teardown has nothing to do: the module is loaded. */
	ASSERT_TRUE(module_loaded());
}

TEST_HARNESS_MAIN
