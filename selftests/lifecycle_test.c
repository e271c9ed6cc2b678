// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle_test: the module cannot be unloaded while anything of it is
 * open, and loads and unloads cleanly many times.
 *
 * rmmod (delete_module) must be refused with EWOULDBLOCK (or EBUSY) while
 * an endpoint, a port or a device fd is open anywhere: in this process,
 * only in a forked child, only inside an SCM_RIGHTS message that nobody
 * received, or only in a share slot (queued for accept).  Once the last
 * one is closed it must succeed.  Then the module is loaded and unloaded
 * 100 times with sockets created, used and destroyed in between; the
 * debug kernel's kmemleak scan (scripts/vm-run) catches what leaks.
 *
 * This needs root and $ZXS_MODULE (the .ko, set by scripts/vm-run), and
 * every test leaves the module loaded for the tests after it.  It uses raw
 * ioctls, not libzxsocket: the library keeps a device fd open, which would
 * pin the module for the life of the process.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_raw_util.h"

#define MODNAME		"zxsocket"
#define LOOPS_DEFAULT	100

static bool module_loaded(void)
{
	char line[256];
	FILE *f = fopen("/proc/modules", "r");
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, MODNAME " ", strlen(MODNAME) + 1))
			found = true;
	fclose(f);
	return found;
}

/* delete_module; 0 or -errno. */
static int module_unload(void)
{
	return syscall(SYS_delete_module, MODNAME, O_NONBLOCK) ? -errno : 0;
}

/*
 * Unload, allowing a moment for files whose last reference is dropped
 * by deferred work (a unix socket's queued messages).
 */
static int module_unload_settled(void)
{
	int i, ret = 0;

	for (i = 0; i < 40; i++) {
		ret = module_unload();
		if (ret != -EWOULDBLOCK && ret != -EBUSY)
			break;
		zxs_sleep_ns(50 * ZXS_NSEC_PER_MSEC);
	}
	return ret;
}

static int module_load(void)
{
	const char *path = getenv("ZXS_MODULE");
	int fd, ret;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static bool busy(int ret)
{
	return ret == -EWOULDBLOCK || ret == -EBUSY;
}

FIXTURE(life) {
	int dev;
};

FIXTURE_SETUP(life)
{
	self->dev = -1;
	if (geteuid() != 0)
		SKIP(return, "needs root to load and unload modules");
	if (!getenv("ZXS_MODULE"))
		SKIP(return, "ZXS_MODULE (the module's .ko) is not set");
	if (!module_loaded())
		SKIP(return, "the zxsocket module is not loaded");
	signal(SIGPIPE, SIG_IGN);
	self->dev = zxs_raw_open();
	ASSERT_LE(0, self->dev);
}

/* Whatever happened, leave the module loaded for the next test. */
FIXTURE_TEARDOWN(life)
{
	if (self->dev >= 0)
		close(self->dev);
	if (!module_loaded())
		EXPECT_EQ(0, module_load());
}

/* Unload must fail now; close @fd; then unload, reload. */
static void refused_until_closed(struct __test_metadata *_metadata, int fd)
{
	EXPECT_TRUE(busy(module_unload()));
	EXPECT_TRUE(module_loaded());
	close(fd);
	ASSERT_EQ(0, module_unload_settled());
	EXPECT_FALSE(module_loaded());
	EXPECT_FALSE(access(ZXS_DEVICE_PATH, F_OK) == 0);
	ASSERT_EQ(0, module_load());
	EXPECT_TRUE(module_loaded());
}

TEST_F(life, device_fd_pins_module)
{
	int dev = self->dev;

	self->dev = -1;
	refused_until_closed(_metadata, dev);
}

TEST_F(life, endpoint_pins_module)
{
	int fds[2];

	ASSERT_EQ(0, zxs_raw_create(self->dev, 0, 0, fds));
	close(self->dev);
	self->dev = -1;
	close(fds[0]);
	/* One endpoint, even with its peer dead, holds the module. */
	refused_until_closed(_metadata, fds[1]);
}

TEST_F(life, duplicate_pins_module)
{
	int fds[2], dup;

	ASSERT_EQ(0, zxs_raw_create(self->dev, ZXS_DATAGRAM, 0, fds));
	ASSERT_EQ(0, zxs_raw_duplicate(fds[0], ZXS_RIGHT_SAME_RIGHTS, 0,
				       &dup));
	close(self->dev);
	self->dev = -1;
	close(fds[0]);
	close(fds[1]);
	refused_until_closed(_metadata, dup);
}

TEST_F(life, port_pins_module)
{
	struct zxs_port_create pc = { .fd = -1 };

	ASSERT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_PORT_CREATE, &pc));
	close(self->dev);
	self->dev = -1;
	refused_until_closed(_metadata, pc.fd);
}

/* A port with an armed wait on a socket that is gone holds nothing more. */
TEST_F(life, port_with_wait_async_then_all_closed)
{
	struct zxs_port_create pc = { .fd = -1 };
	struct zxs_wait_async wa = { .key = 7,
				     .signals = ZXS_SIGNAL_READABLE };
	int fds[2];

	ASSERT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_PORT_CREATE, &pc));
	ASSERT_EQ(0, zxs_raw_create(self->dev, 0, 0, fds));
	wa.fd = fds[0];
	wa.port = pc.fd;
	ASSERT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_WAIT_ASYNC, &wa));
	close(self->dev);
	self->dev = -1;
	close(fds[0]);
	close(fds[1]);
	refused_until_closed(_metadata, pc.fd);
}

TEST_F(life, fd_held_only_by_child)
{
	int fds[2], go[2];
	char c = 0;
	pid_t pid;
	int status;

	ASSERT_EQ(0, zxs_raw_create(self->dev, 0, 0, fds));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* Keep fds[0]; wait for the word to exit. */
		close(self->dev);
		close(fds[1]);
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(2);
		_exit(zxs_raw_signals(fds[0]) == ZXS_RAW_NO_SIGNALS);
	}
	close(go[0]);
	close(self->dev);
	self->dev = -1;
	close(fds[0]);
	close(fds[1]);
	EXPECT_TRUE(busy(module_unload()));
	EXPECT_TRUE(module_loaded());
	/* The child's endpoint still works. */
	ASSERT_EQ(1, write(go[1], &c, 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, module_unload_settled());
	ASSERT_EQ(0, module_load());
}

/* An endpoint that only exists inside an unreceived message. */
TEST_F(life, fd_in_flight_in_scm_rights)
{
	int fds[2], us[2];
	struct zxs_port_create pc = { .fd = -1 };

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, us));
	ASSERT_EQ(0, zxs_raw_create(self->dev, 0, 0, fds));
	ASSERT_EQ(0, zxs_ioctl(self->dev, ZXS_IOC_PORT_CREATE, &pc));
	ASSERT_EQ(0, zxs_send_fd(us[0], fds[0]));
	ASSERT_EQ(0, zxs_send_fd(us[0], pc.fd));
	close(fds[0]);
	close(fds[1]);
	close(pc.fd);
	close(self->dev);
	self->dev = -1;
	EXPECT_TRUE(busy(module_unload()));

	/* Received: it works, and closing it frees the module again. */
	fds[0] = zxs_recv_fd(us[1]);
	ASSERT_LE(0, fds[0]);
	EXPECT_NE(ZXS_RAW_NO_SIGNALS, zxs_raw_signals(fds[0]));
	close(fds[0]);
	/* The port is never received: dropped with the unix socket. */
	EXPECT_TRUE(busy(module_unload()));
	close(us[0]);
	close(us[1]);
	ASSERT_EQ(0, module_unload_settled());
	ASSERT_EQ(0, module_load());
}

/* An endpoint whose only reference is a share slot (accept queue). */
TEST_F(life, fd_queued_in_share_slot)
{
	struct zxs_share share = { 0 };
	int acc[2], fds[2];

	ASSERT_EQ(0, zxs_raw_create(self->dev, ZXS_HAS_ACCEPT, 0, acc));
	ASSERT_EQ(0, zxs_raw_create(self->dev, 0, 0, fds));
	share.fd = fds[0];
	ASSERT_EQ(0, zxs_ioctl(acc[0], ZXS_IOC_SHARE, &share));
	close(fds[0]);
	close(fds[1]);
	close(acc[0]);
	close(self->dev);
	self->dev = -1;
	EXPECT_TRUE(busy(module_unload()));
	/* The slot's endpoint dies with acc[1]: nothing may stay behind. */
	close(acc[1]);
	ASSERT_EQ(0, module_unload_settled());
	ASSERT_EQ(0, module_load());
}

/* Create, use and destroy a few sockets and a port through a fresh dev. */
static int exercise(void)
{
	static const char msg[] = "lifecycle";
	struct zxs_port_create pc = { .fd = -1 };
	struct zxs_wait_async wa = { .key = 1,
				     .signals = ZXS_SIGNAL_READABLE };
	char buf[sizeof(msg)];
	__u64 actual = 0;
	int dev, s[2], d[2], ret;

	dev = zxs_raw_open();
	if (dev < 0)
		return -errno;
	ret = zxs_raw_create(dev, 0, 0, s);
	if (ret)
		goto out_dev;
	ret = zxs_raw_create(dev, ZXS_DATAGRAM, 0, d);
	if (ret)
		goto out_s;
	ret = zxs_ioctl(dev, ZXS_IOC_PORT_CREATE, &pc);
	if (ret)
		goto out_d;
	wa.fd = s[1];
	wa.port = pc.fd;
	ret = zxs_ioctl(dev, ZXS_IOC_WAIT_ASYNC, &wa);
	if (!ret)
		ret = zxs_raw_write(s[0], 0, msg, sizeof(msg), &actual);
	if (!ret)
		ret = zxs_raw_write(d[0], 0, msg, sizeof(msg), &actual);
	if (!ret)
		ret = zxs_raw_read(d[1], 0, buf, sizeof(buf), &actual);
	if (!ret && (actual != sizeof(msg) || memcmp(buf, msg, sizeof(msg))))
		ret = -EIO;
	/* Leave data queued in the stream and a packet on the port. */
	close(pc.fd);
out_d:
	close(d[0]);
	close(d[1]);
out_s:
	close(s[0]);
	close(s[1]);
out_dev:
	close(dev);
	return ret;
}

TEST_F_TIMEOUT(life, load_unload_loop, 600)
{
	const char *env = getenv("ZXS_LIFECYCLE_LOOPS");
	int loops = env ? atoi(env) : LOOPS_DEFAULT;
	int i, done = 0;

	close(self->dev);
	self->dev = -1;
	for (i = 0; i < loops; i++) {
		ASSERT_EQ(0, exercise()) TH_LOG("iteration %d", i);
		ASSERT_EQ(0, module_unload_settled()) TH_LOG("iteration %d", i);
		ASSERT_FALSE(module_loaded());
		ASSERT_EQ(0, module_load()) TH_LOG("iteration %d", i);
		done++;
	}
	ASSERT_EQ(0, exercise());
	ksft_print_msg("lifecycle: %d unload/load cycles\n", done);
	EXPECT_EQ(loops, done);
}

TEST_HARNESS_MAIN
