// SPDX-License-Identifier: MIT
/*
 * share_accept: hand a socket from one process to another over a socket.
 *
 * The parent makes a control socket with ZX_SOCKET_HAS_ACCEPT and forks;
 * the child (a "worker") keeps one end.  Only then does the parent make a
 * data socket, so the worker can reach it only through the hand-off: the
 * parent shares one end of it with zx_socket_share() (which consumes the
 * parent's handle), the worker waits for ZX_SOCKET_ACCEPT, takes it with
 * zx_socket_accept(), reads the greeting the parent queued and answers on
 * the same socket.  The parent checks the answer, that its handle to the
 * shared end is gone, and that ZX_SOCKET_SHARE came back once the worker
 * accepted.
 *
 * Prints each step and "share_accept: OK", exit status 0, on success.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zircon/syscalls.h>

#define TIMEOUT		ZX_SEC(10)

static const char greeting[] = "here is your socket";
static const char answer[] = "worker got it";

static int worker(zx_handle_t ctl)
{
	zx_handle_t data;
	zx_signals_t seen;
	char buf[64];
	size_t actual;
	zx_status_t st;

	st = zx_object_wait_one(ctl, ZX_SOCKET_ACCEPT, zx_deadline_after(TIMEOUT), &seen);
	if (st == ZX_OK)
		st = zx_socket_accept(ctl, &data);
	if (st != ZX_OK) {
		printf("worker: accept: %s\n", zx_status_get_string(st));
		return 1;
	}
	st = zx_socket_read(data, 0, buf, sizeof(buf) - 1, &actual);
	if (st != ZX_OK) {
		printf("worker: read: %s\n", zx_status_get_string(st));
		return 1;
	}
	buf[actual] = '\0';
	printf("worker: accepted a socket, read \"%s\"\n", buf);
	st = zx_socket_write(data, 0, answer, strlen(answer), NULL);
	if (st != ZX_OK)
		return 1;
	zx_handle_close(data);
	zx_handle_close(ctl);
	return strcmp(buf, greeting) == 0 ? 0 : 1;
}

int main(void)
{
	zx_handle_t ctl0, ctl1, mine, theirs;
	zx_signals_t seen = 0;
	char buf[64];
	size_t actual = 0;
	int status;
	bool ok = true;
	pid_t pid;
	zx_status_t st;

	st = zx_socket_create(ZX_SOCKET_STREAM | ZX_SOCKET_HAS_ACCEPT, &ctl0, &ctl1);
	if (st != ZX_OK) {
		printf("share_accept: zx_socket_create: %s\n", zx_status_get_string(st));
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		zx_handle_close(ctl0);
		status = worker(ctl1);
		fflush(stdout);
		_exit(status);
	}
	zx_handle_close(ctl1);

	/* Created after the fork: the worker has no copy of these fds. */
	st = zx_socket_create(ZX_SOCKET_STREAM, &mine, &theirs);
	if (st == ZX_OK)
		st = zx_socket_write(mine, 0, greeting, strlen(greeting), NULL);
	if (st == ZX_OK)
		st = zx_socket_share(ctl0, theirs);
	if (st != ZX_OK) {
		printf("share_accept: share: %s\n", zx_status_get_string(st));
		ok = false;
	} else {
		printf("parent: shared a socket\n");
	}
	/* zx_socket_share() consumed the handle. */
	if (zx_object_get_info(theirs, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL) !=
	    ZX_ERR_BAD_HANDLE) {
		printf("share_accept: the shared handle is still open\n");
		ok = false;
	}

	st = zx_object_wait_one(mine, ZX_SOCKET_READABLE, zx_deadline_after(TIMEOUT), &seen);
	if (st == ZX_OK)
		st = zx_socket_read(mine, 0, buf, sizeof(buf) - 1, &actual);
	if (st != ZX_OK) {
		printf("share_accept: reading the answer: %s\n", zx_status_get_string(st));
		ok = false;
	} else {
		buf[actual] = '\0';
		printf("parent: read \"%s\" from the shared socket\n", buf);
		ok = ok && strcmp(buf, answer) == 0;
	}
	/* Accepting emptied the worker's queue: this end may share again. */
	st = zx_object_wait_one(ctl0, ZX_SOCKET_SHARE, zx_deadline_after(TIMEOUT), &seen);
	if (st != ZX_OK) {
		printf("share_accept: SHARE did not come back: %s\n", zx_status_get_string(st));
		ok = false;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("share_accept: the worker failed\n");
		ok = false;
	}
	zx_handle_close(mine);
	zx_handle_close(ctl0);
	printf("share_accept: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
