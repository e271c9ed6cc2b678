// SPDX-License-Identifier: MIT
/*
 * demo: Zircon sockets between two Linux processes.
 *
 * For each socket type the parent creates a socket and forks; the child
 * keeps one end, the parent the other.  The child writes and goes away,
 * the parent waits for signals, reads, and checks that everything
 * arrived, with message boundaries for the datagram socket.
 *
 *   stream:   the child writes three pieces, disables writing on its end
 *             and waits; the parent drains the bytes, sees
 *             PEER_WRITE_DISABLED and ZX_ERR_BAD_STATE, tells the child
 *             to exit with a user signal, and then sees PEER_CLOSED.
 *   datagram: the child writes three datagrams and exits; the parent reads
 *             them one by one, then gets ZX_ERR_PEER_CLOSED.
 *
 * Exit status 0 if everything arrived as sent, 1 otherwise.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zircon/syscalls.h>

/* No wait may take longer than this: a hang is a failure. */
#define DEMO_TIMEOUT		ZX_SEC(10)

/* The parent tells the stream child it may exit. */
#define DEMO_GO_AWAY		ZX_USER_SIGNAL_0

static const char *const stream_pieces[] = { "hello, ", "zircon ", "sockets!" };
static const char *const datagrams[] = { "one", "two!", "three" };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool check(bool ok, const char *what)
{
	if (!ok)
		printf("FAILED: %s\n", what);
	return ok;
}

static bool check_status(zx_status_t status, zx_status_t want,
			 const char *what)
{
	if (status == want)
		return true;
	printf("FAILED: %s: %s (expected %s)\n", what,
	       zx_status_get_string(status), zx_status_get_string(want));
	return false;
}

/* "READABLE|PEER_CLOSED", for the signals this demo cares about. */
static const char *signal_names(zx_signals_t signals, char *buf, size_t len)
{
	static const struct {
		zx_signals_t bit;
		const char *name;
	} names[] = {
		{ ZX_SOCKET_READABLE, "READABLE" },
		{ ZX_SOCKET_WRITABLE, "WRITABLE" },
		{ ZX_SOCKET_PEER_CLOSED, "PEER_CLOSED" },
		{ ZX_SOCKET_PEER_WRITE_DISABLED, "PEER_WRITE_DISABLED" },
		{ ZX_SOCKET_WRITE_DISABLED, "WRITE_DISABLED" },
	};
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(signals & names[i].bit))
			continue;
		if (buf[0])
			strncat(buf, "|", len - strlen(buf) - 1);
		strncat(buf, names[i].name, len - strlen(buf) - 1);
	}
	return buf[0] ? buf : "none";
}

/* ------------------------------------------------------------- children */

static int stream_child(zx_handle_t h)
{
	zx_signals_t observed = 0;
	size_t i, actual;

	for (i = 0; i < ARRAY_SIZE(stream_pieces); i++) {
		size_t len = strlen(stream_pieces[i]);

		if (zx_socket_write(h, 0, stream_pieces[i], len, &actual) != ZX_OK ||
		    actual != len)
			return 1;
	}
	/* Half-close: the parent can drain what is queued, then BAD_STATE. */
	if (zx_socket_set_disposition(h, ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0))
		return 1;
	/*
	 * Stay alive until the parent has seen that, then close by exiting.
	 * (PEER_CLOSED too, so that a parent that gave up does not keep us.)
	 */
	if (zx_object_wait_one(h, DEMO_GO_AWAY | ZX_SOCKET_PEER_CLOSED,
			       zx_deadline_after(DEMO_TIMEOUT),
			       &observed) != ZX_OK)
		return 1;
	return observed & DEMO_GO_AWAY ? 0 : 1;
}

static int datagram_child(zx_handle_t h)
{
	size_t i, actual;

	for (i = 0; i < ARRAY_SIZE(datagrams); i++) {
		size_t len = strlen(datagrams[i]);

		if (zx_socket_write(h, 0, datagrams[i], len, &actual) != ZX_OK ||
		    actual != len)
			return 1;
	}
	return 0;	/* exiting closes the last handle to this end */
}

/*
 * Fork a child that runs @child on @theirs.  Each process must close the
 * end it does not use: an endpoint only dies (and its peer only sees
 * PEER_CLOSED) when its last handle is gone, and fork() copies handles.
 */
static pid_t spawn(int (*child)(zx_handle_t), zx_handle_t ours,
		   zx_handle_t theirs)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		zx_handle_close(ours);
		_exit(child(theirs));
	}
	zx_handle_close(theirs);
	return pid;
}

static bool reap(pid_t pid, const char *what)
{
	int wstatus;

	if (pid < 0 || waitpid(pid, &wstatus, 0) != pid)
		return check(false, what);
	return check(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, what);
}

/* --------------------------------------------------------------- stream */

struct stream_result {
	char data[64];
	size_t len;
	int reads;
	zx_signals_t seen;
	zx_status_t drained;	/* read status once drained, child alive */
	zx_status_t closed;	/* read status once the child is gone */
};

/* One wait and one read; false when the stream is over. */
static bool stream_step(zx_handle_t h, struct stream_result *r, bool *acked)
{
	zx_signals_t want = ZX_SOCKET_PEER_CLOSED, observed = 0;
	zx_status_t status;
	size_t actual = 0;

	if (!*acked)
		want |= ZX_SOCKET_READABLE | ZX_SOCKET_PEER_WRITE_DISABLED;
	status = zx_object_wait_one(h, want, zx_deadline_after(DEMO_TIMEOUT),
				    &observed);
	if (!check_status(status, ZX_OK, "stream wait"))
		return false;
	r->seen |= observed;

	status = zx_socket_read(h, 0, r->data + r->len,
				sizeof(r->data) - 1 - r->len, &actual);
	if (status == ZX_OK) {
		r->len += actual;
		r->reads++;
		return true;
	}
	if (status == ZX_ERR_BAD_STATE && !*acked) {
		/* Drained and the writer is done: let the child exit. */
		r->drained = status;
		*acked = true;
		status = zx_object_signal_peer(h, 0, DEMO_GO_AWAY);
		return check_status(status, ZX_OK, "signal peer");
	}
	r->closed = status;
	return false;
}

static bool demo_stream(zx_handle_t ours, zx_handle_t theirs)
{
	struct stream_result r = { .drained = ZX_OK, .closed = ZX_OK };
	char expected[64] = "", names[96];
	bool acked = false, ok;
	pid_t pid;
	size_t i;

	pid = spawn(stream_child, ours, theirs);
	while (stream_step(ours, &r, &acked))
		;
	zx_handle_close(ours);
	ok = reap(pid, "stream child");

	for (i = 0; i < ARRAY_SIZE(stream_pieces); i++)
		strcat(expected, stream_pieces[i]);
	printf("stream:   %zu writes -> %d reads, %zu bytes: \"%s\"\n",
	       ARRAY_SIZE(stream_pieces), r.reads, r.len, r.data);
	printf("stream:   signals seen: %s\n",
	       signal_names(r.seen, names, sizeof(names)));
	printf("stream:   read after drain: %s, after close: %s\n",
	       zx_status_get_string(r.drained), zx_status_get_string(r.closed));

	ok &= check(strcmp(r.data, expected) == 0, "stream bytes");
	ok &= check(r.seen & ZX_SOCKET_PEER_WRITE_DISABLED,
		    "stream PEER_WRITE_DISABLED");
	ok &= check(r.seen & ZX_SOCKET_PEER_CLOSED, "stream PEER_CLOSED");
	ok &= check_status(r.drained, ZX_ERR_BAD_STATE, "stream drained read");
	ok &= check_status(r.closed, ZX_ERR_PEER_CLOSED, "stream final read");
	return ok;
}

/* ------------------------------------------------------------- datagram */

/* Read one datagram into @buf; the status of the read. */
static zx_status_t datagram_next(zx_handle_t h, char *buf, size_t len,
				 size_t *actual, zx_signals_t *seen)
{
	zx_signals_t observed = 0;
	zx_status_t status;

	status = zx_object_wait_one(h, ZX_SOCKET_READABLE | ZX_SOCKET_PEER_CLOSED,
				    zx_deadline_after(DEMO_TIMEOUT), &observed);
	if (status != ZX_OK)
		return status;
	*seen |= observed;
	return zx_socket_read(h, 0, buf, len, actual);
}

static bool demo_datagram(zx_handle_t ours, zx_handle_t theirs)
{
	zx_status_t status = ZX_OK;
	zx_signals_t seen = 0;
	bool ok, same = true;
	size_t count = 0;
	char names[96];
	pid_t pid;

	pid = spawn(datagram_child, ours, theirs);

	printf("datagram:");
	for (;;) {
		char buf[64];
		size_t actual = 0;

		status = datagram_next(ours, buf, sizeof(buf) - 1, &actual, &seen);
		if (status != ZX_OK)
			break;
		buf[actual] = '\0';
		printf(" \"%s\" (%zu)", buf, actual);
		if (count >= ARRAY_SIZE(datagrams) ||
		    strcmp(buf, datagrams[count]) != 0)
			same = false;
		count++;
	}
	printf("\n");
	zx_handle_close(ours);
	ok = reap(pid, "datagram child");

	printf("datagram: %zu sent, %zu received, signals seen: %s\n",
	       ARRAY_SIZE(datagrams), count,
	       signal_names(seen, names, sizeof(names)));
	printf("datagram: final read: %s\n", zx_status_get_string(status));

	ok &= check(same, "datagram contents and boundaries");
	ok &= check(count == ARRAY_SIZE(datagrams), "datagram count");
	ok &= check(seen & ZX_SOCKET_PEER_CLOSED, "datagram PEER_CLOSED");
	ok &= check_status(status, ZX_ERR_PEER_CLOSED, "datagram final read");
	return ok;
}

static bool create(uint32_t options, zx_handle_t h[2])
{
	zx_status_t status = zx_socket_create(options, &h[0], &h[1]);

	if (status == ZX_OK)
		return true;
	printf("demo: zx_socket_create: %s%s\n", zx_status_get_string(status),
	       status == ZX_ERR_UNAVAILABLE ?
	       " (is the zxsocket module loaded? ZXSOCKET_DEBUG=1 tells more)" :
	       "");
	return false;
}

int main(void)
{
	zx_handle_t h[2];
	bool ok;

	if (!create(ZX_SOCKET_STREAM, h))
		return 1;
	ok = demo_stream(h[0], h[1]);
	if (!create(ZX_SOCKET_DATAGRAM, h))
		return 1;
	ok &= demo_datagram(h[0], h[1]);
	printf("%s\n", ok ? "demo: OK" : "demo: FAILED");
	return ok ? 0 : 1;
}
