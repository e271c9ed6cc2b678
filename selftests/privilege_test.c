// SPDX-License-Identifier: GPL-2.0
/*
 * Privilege: an unprivileged user (uid/gid 65534, dropped to in a forked
 * child) can create and use sockets, cannot reach another user's
 * endpoints except through fds it was given, and rights taken away with
 * zx_handle_replace stay away through dup, fork, SCM_RIGHTS, fcntl and
 * re-opening /proc/self/fd/N (which may fail, or give a handle with
 * exactly the same rights, never more).
 */
#define _GNU_SOURCE
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <zircon/syscalls/port.h>

#include "zxs_test_util.h"

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define NOBODY		65534
#define OTHER_UID	65533

static int drop_to(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -1;
	return getuid() == uid && geteuid() == uid ? 0 : -1;
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* -------------------------------------------------- unprivileged user */

static int nobody_uses_sockets(void)
{
	zx_handle_t a, b, port;
	zx_port_packet_t pkt;
	char buf[8];
	size_t actual = 0;

	if (drop_to(NOBODY))
		return 2;
	if (zx_socket_create(ZX_SOCKET_DATAGRAM, &a, &b) != ZX_OK)
		return 3;
	if (zx_socket_write(a, 0, "hello", 5, &actual) != ZX_OK || actual != 5)
		return 4;
	if (zx_socket_read(b, 0, buf, sizeof(buf), &actual) != ZX_OK ||
	    actual != 5 || memcmp(buf, "hello", 5))
		return 5;
	if (zx_port_create(0, &port) != ZX_OK ||
	    zx_object_wait_async(b, port, 1, ZX_SOCKET_PEER_CLOSED, 0) != ZX_OK)
		return 6;
	zx_handle_close(a);
	if (zx_port_wait(port, 0, &pkt) != ZX_OK || pkt.key != 1)
		return 7;
	zx_handle_close(b);
	zx_handle_close(port);
	return 0;
}

TEST(unprivileged_user_creates_and_uses_sockets)
{
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop to uid %d", NOBODY);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(nobody_uses_sockets());
	EXPECT_EQ(0, child_status(pid));
}

/*
 * A process of another user cannot open our endpoints through
 * /proc/<pid>/fd; the one fd we hand it over SCM_RIGHTS works, with the
 * rights we gave it.
 */
static int intruder(pid_t victim, int fd, int sock)
{
	char path[64];
	int i, got, given;

	if (drop_to(NOBODY))
		return 2;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", victim, fd);
	for (i = 0; i < 3; i++) {
		static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };

		got = open(path, modes[i] | O_CLOEXEC);
		if (got >= 0)
			return 10 + i;
		if (errno != EACCES && errno != EPERM)
			return 20 + i;
	}
	/* Nor through the fd directory listing. */
	snprintf(path, sizeof(path), "/proc/%d/fd", victim);
	if (!access(path, R_OK))
		return 30;
	/* Told when the parent has sent the fd. */
	given = zxs_recv_fd(sock);
	if (given < 0)
		return 40;
	if (zxs_rights(given) != (ZX_RIGHT_READ | ZX_RIGHT_WAIT))
		return 41;
	if (zx_socket_write(given, 0, "x", 1, NULL) != ZX_ERR_ACCESS_DENIED)
		return 42;
	if (zx_object_wait_one(given, ZX_SOCKET_READABLE, ZX_TIME_INFINITE,
			       NULL) != ZX_OK)
		return 43;
	return 0;
}

TEST(another_user_reaches_only_what_it_was_given)
{
	zx_handle_t a, b, weak;
	int sv[2];
	pid_t pid;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop to uid %d", NOBODY);
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &a, &b));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(sv[0]);
		_exit(intruder(getppid(), b, sv[1]));
	}
	close(sv[1]);
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(b, ZX_RIGHT_READ | ZX_RIGHT_WAIT,
					     &weak));
	ASSERT_EQ(0, zxs_send_fd(sv[0], weak));
	ASSERT_EQ(ZX_OK, zx_socket_write(a, 0, "y", 1, NULL));
	EXPECT_EQ(0, child_status(pid));
	/* Nothing the intruder did reached our socket. */
	EXPECT_EQ(1u, zxs_queued(b));
	zx_handle_close(weak);
	zx_handle_close(a);
	zx_handle_close(b);
	close(sv[0]);
}

/* -------------------------------------------- stripped rights stay so */

#define STRIPPED	(ZX_RIGHT_READ | ZX_RIGHT_WAIT | ZX_RIGHT_TRANSFER | \
			 ZX_RIGHT_DUPLICATE)

/* What a handle with the stripped rights may do, and may not. */
static int check_stripped(zx_handle_t h)
{
	zx_handle_t more;

	if (zxs_rights(h) != STRIPPED)
		return 1;
	if (zx_socket_write(h, 0, "x", 1, NULL) != ZX_ERR_ACCESS_DENIED)
		return 2;
	/*
	 * The fd is not open for writing (EBADF from the VFS); a re-opened
	 * handle may instead be refused by the module (EACCES).
	 */
	if (write(h, "x", 1) != -1 || (errno != EBADF && errno != EACCES))
		return 3;
	if (zx_socket_set_disposition(h, ZX_SOCKET_DISPOSITION_WRITE_DISABLED,
				      0) != ZX_ERR_ACCESS_DENIED)
		return 4;
	if (zx_object_signal_peer(h, 0, ZX_USER_SIGNAL_0) !=
	    ZX_ERR_ACCESS_DENIED)
		return 5;
	if (zx_handle_duplicate(h, ZX_DEFAULT_SOCKET_RIGHTS, &more) !=
	    ZX_ERR_INVALID_ARGS)
		return 6;
	if (zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &more) != ZX_OK)
		return 7;
	if (zxs_rights(more) != STRIPPED)
		return 8;
	zx_handle_close(more);
	return 0;
}

FIXTURE(stripped) {
	zx_handle_t a, b, h;
};

FIXTURE_SETUP(stripped)
{
	zx_handle_t full;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->a, &self->b));
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->b, ZX_RIGHT_SAME_RIGHTS,
					     &full));
	ASSERT_EQ(ZX_OK, zx_handle_replace(full, STRIPPED, &self->h));
	ASSERT_EQ(0, check_stripped(self->h));
}

FIXTURE_TEARDOWN(stripped)
{
	zx_handle_close(self->h);
	zx_handle_close(self->a);
	zx_handle_close(self->b);
}

TEST_F(stripped, dup_and_fcntl_keep_them)
{
	int d = dup(self->h);

	ASSERT_LE(0, d);
	EXPECT_EQ(0, check_stripped(d));
	/* F_SETFL cannot change the access mode. */
	fcntl(d, F_SETFL, O_RDWR | O_APPEND);
	EXPECT_EQ(0, check_stripped(d));
	EXPECT_EQ(0, check_stripped(self->h));
	close(d);
	d = fcntl(self->h, F_DUPFD_CLOEXEC, 100);
	ASSERT_LE(100, d);
	EXPECT_EQ(0, check_stripped(d));
	close(d);
}

TEST_F(stripped, fork_keeps_them)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(check_stripped(self->h));
	EXPECT_EQ(0, child_status(pid));
}

TEST_F(stripped, scm_rights_keeps_them)
{
	int sv[2], got;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	ASSERT_EQ(0, zxs_send_fd(sv[0], self->h));
	got = zxs_recv_fd(sv[1]);
	ASSERT_LE(0, got);
	EXPECT_NE(self->h, got);
	EXPECT_EQ(0, check_stripped(got));
	close(got);
	close(sv[0]);
	close(sv[1]);
}

TEST_F(stripped, reopen_through_proc_gives_no_more)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR };
	char path[64];
	int i, fd, opened = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->h);
	for (i = 0; i < 3; i++) {
		fd = open(path, modes[i] | O_CLOEXEC);
		if (fd < 0) {
			TH_LOG("re-open mode %d: %s", modes[i], strerror(errno));
			continue;
		}
		opened++;
		/* Either exactly the same rights, or not a handle at all. */
		if (zxs_rights(fd) == ZX_RIGHT_SAME_RIGHTS) {
			TH_LOG("re-open mode %d: not a handle", modes[i]);
			(void)!write(fd, "x", 1);
			EXPECT_EQ(0u, zxs_queued(self->a));
		} else {
			EXPECT_EQ(0, check_stripped(fd))
				TH_LOG("re-open mode %d", modes[i]);
		}
		close(fd);
	}
	TH_LOG("%d of 3 re-opens succeeded (each with exactly the same rights)",
	       opened);
	EXPECT_EQ(0, check_stripped(self->h));
}

/* Replace after dup: the dup'd fd shares the open file, not a new one. */
TEST_F(stripped, replace_of_a_dup_does_not_widen_the_original)
{
	zx_handle_t narrower, wider;
	int d = dup(self->h);

	ASSERT_LE(0, d);
	ASSERT_EQ(ZX_OK, zx_handle_replace(d, ZX_RIGHT_READ | ZX_RIGHT_WAIT,
					   &narrower));
	EXPECT_EQ(ZX_RIGHT_READ | ZX_RIGHT_WAIT, zxs_rights(narrower));
	EXPECT_EQ(0, check_stripped(self->h));
	/* Widening fails, and (as in Zircon) consumes the handle. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_replace(narrower, STRIPPED, &wider));
}

TEST_HARNESS_MAIN
