// SPDX-License-Identifier: MIT
/*
 * epoll_server: zxsockets and a Zircon port in one Linux event loop.
 *
 * The server creates six sockets (stream and datagram, alternating) and
 * forks one client process per socket.  Each client sends NREQ requests,
 * one at a time, and checks every reply.  The server runs a single
 * epoll_wait() loop, libevent style, in which:
 *
 *   - sockets 0..2 are registered with epoll directly (EPOLLIN, EPOLLRDHUP)
 *     and served with plain read(2)/write(2);
 *   - sockets 3..5 are watched through a Zircon port: the port's fd is in
 *     the same epoll set, and each socket has one zx_object_wait_async()
 *     for READABLE | PEER_CLOSED, re-armed after it fired;
 *   - a ticker thread posts NTICKS user packets with zx_port_queue(),
 *     which must arrive in order.
 *
 * A stream carries fixed-size records (a read may return part of one); a
 * datagram carries one record.  The server ends when every client has hung
 * up after exactly NREQ requests and every tick arrived.
 *
 * Exit status 0 if everything arrived and every client was satisfied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#define NCONN		6
#define NREQ		300
#define NTICKS		100
#define REC		48		/* bytes per request or reply */
#define PORT_TAG	0xffffffffu	/* epoll data of the port fd */
#define TICK_KEY	0x7469636bu	/* port key of the ticker's packets */
#define IDLE_MS		10000		/* nothing for this long: failure */

struct conn {
	zx_handle_t h;		/* the server's end */
	bool dgram;
	bool via_port;
	bool open;
	size_t have;		/* bytes of a partial stream record */
	int served;
	char rec[REC];
};

static struct conn conns[NCONN];
static zx_handle_t port;
static int failures;

static void fail(const char *what, int i)
{
	fprintf(stderr, "epoll_server: %s (socket %d)\n", what, i);
	failures++;
}

/* Request @seq of client @id, and the reply the server must give to it. */
static void request(char *rec, int id, int seq)
{
	memset(rec, 0, REC);
	snprintf(rec, REC, "req %d %d", id, seq);
}

static uint32_t sum(const char *rec)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < REC; i++)
		h = (h ^ (uint8_t)rec[i]) * 16777619u;
	return h;
}

static void reply_to(const char *req, char *rep)
{
	int id = -1, seq = -1;

	sscanf(req, "req %d %d", &id, &seq);
	memset(rep, 0, REC);
	snprintf(rep, REC, "rep %d %d %08x", id, seq, sum(req));
}

/* ---------------------------------------------------------------- client */

static bool read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n <= 0)
			return false;
		got += n;
	}
	return true;
}

static int client(int id, zx_handle_t h, bool dgram)
{
	char req[REC], want[REC], got[REC];
	int seq;

	for (seq = 0; seq < NREQ; seq++) {
		request(req, id, seq);
		reply_to(req, want);
		if (dgram) {
			/* The Zircon way: one datagram each way. */
			size_t actual = 0;
			zx_signals_t seen;

			if (zx_socket_write(h, 0, req, REC, &actual) != ZX_OK ||
			    actual != REC)
				return 1;
			if (zx_object_wait_one(h, ZX_SOCKET_READABLE,
					       zx_deadline_after(ZX_SEC(10)),
					       &seen) != ZX_OK)
				return 2;
			if (zx_socket_read(h, 0, got, REC, &actual) != ZX_OK ||
			    actual != REC)
				return 3;
		} else {
			/* The Linux way: write(2) and read(2) of a byte stream. */
			if (write(h, req, REC) != REC)
				return 4;
			if (!read_full(h, got, REC))
				return 5;
		}
		if (memcmp(got, want, REC))
			return 6;
	}
	return 0;
}

/* ---------------------------------------------------------------- server */

static void *ticker(void *arg)
{
	zx_port_packet_t pkt;
	uint64_t i;

	for (i = 0; i < NTICKS; i++) {
		memset(&pkt, 0, sizeof(pkt));
		pkt.key = TICK_KEY;
		pkt.type = ZX_PKT_TYPE_USER;
		pkt.user.u64[0] = i;
		while (zx_port_queue(port, &pkt) == ZX_ERR_SHOULD_WAIT)
			usleep(1000);
		if (i % 10 == 0)
			usleep(2000);
	}
	return NULL;
}

static void hang_up(int i)
{
	struct conn *c = &conns[i];

	if (c->served != NREQ)
		fail("client hung up early", i);
	if (c->have)
		fail("partial record at hang-up", i);
	zx_handle_close(c->h);
	c->open = false;
}

/* Answer every complete request queued on socket @i; false on hang-up. */
static bool serve(int i)
{
	struct conn *c = &conns[i];
	char rep[REC];

	for (;;) {
		if (c->dgram) {
			size_t actual = 0;
			zx_status_t st;

			st = zx_socket_read(c->h, 0, c->rec, REC, &actual);
			if (st == ZX_ERR_SHOULD_WAIT)
				return true;
			if (st == ZX_ERR_PEER_CLOSED)
				return false;
			if (st != ZX_OK || actual != REC) {
				fail("bad datagram", i);
				return false;
			}
		} else {
			ssize_t n = read(c->h, c->rec + c->have, REC - c->have);

			if (n < 0 && errno == EAGAIN)
				return true;
			if (n == 0)
				return false;
			if (n < 0) {
				fail("read failed", i);
				return false;
			}
			c->have += n;
			if (c->have < REC)
				continue;
			c->have = 0;
		}
		reply_to(c->rec, rep);
		/* A client waits for each reply, so there is always room. */
		if (write(c->h, rep, REC) != REC) {
			fail("reply failed", i);
			return false;
		}
		c->served++;
	}
}

static void arm(int i)
{
	if (zx_object_wait_async(conns[i].h, port, i,
				 ZX_SOCKET_READABLE | ZX_SOCKET_PEER_CLOSED,
				 ZX_WAIT_ASYNC_ONCE) != ZX_OK)
		fail("wait_async failed", i);
}

/* The port is readable: take every packet. */
static void drain_port(uint64_t *ticks)
{
	zx_port_packet_t pkt;

	while (zx_port_wait(port, 0, &pkt) == ZX_OK) {
		if (pkt.type == ZX_PKT_TYPE_USER) {
			if (pkt.key != TICK_KEY || pkt.user.u64[0] != *ticks)
				fail("user packet out of order", -1);
			(*ticks)++;
			continue;
		}
		if (pkt.type != ZX_PKT_TYPE_SIGNAL_ONE || pkt.key >= NCONN ||
		    !conns[pkt.key].via_port || !conns[pkt.key].open) {
			fail("unexpected packet", (int)pkt.key);
			continue;
		}
		if (serve((int)pkt.key))
			arm((int)pkt.key);
		else
			hang_up((int)pkt.key);
	}
}

static int server(void)
{
	struct epoll_event ev, events[8];
	uint64_t ticks = 0;
	pthread_t tick_thread;
	int ep, i, open = NCONN;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	ev.events = EPOLLIN;
	ev.data.u32 = PORT_TAG;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, (int)port, &ev))
		return 1;
	for (i = 0; i < NCONN; i++) {
		fcntl(conns[i].h, F_SETFL, O_NONBLOCK);
		if (conns[i].via_port) {
			arm(i);
			continue;
		}
		ev.events = EPOLLIN | EPOLLRDHUP;
		ev.data.u32 = i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, (int)conns[i].h, &ev))
			return 1;
	}
	if (pthread_create(&tick_thread, NULL, ticker, NULL))
		return 1;

	while (open > 0 || ticks < NTICKS) {
		int n = epoll_wait(ep, events, 8, IDLE_MS);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail("event loop idle", -1);
			break;
		}
		for (i = 0; i < n; i++) {
			uint32_t tag = events[i].data.u32;

			if (tag == PORT_TAG) {
				drain_port(&ticks);
			} else if (conns[tag].open && !serve(tag)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, (int)conns[tag].h,
					  NULL);
				hang_up(tag);
			}
		}
		for (open = 0, i = 0; i < NCONN; i++)
			open += conns[i].open;
	}
	pthread_join(tick_thread, NULL);
	close(ep);
	printf("epoll_server: %d sockets x %d requests served, %llu port packets\n",
	       NCONN, NREQ, (unsigned long long)ticks);
	return 0;
}

int main(void)
{
	zx_handle_t peers[NCONN];
	pid_t pids[NCONN];
	int i, j, status;

	if (zx_port_create(0, &port) != ZX_OK) {
		fprintf(stderr, "epoll_server: zx_port_create failed\n");
		return 1;
	}
	for (i = 0; i < NCONN; i++) {
		conns[i].dgram = i % 2;
		conns[i].via_port = i >= NCONN / 2;
		conns[i].open = true;
		if (zx_socket_create(conns[i].dgram ? ZX_SOCKET_DATAGRAM :
				     ZX_SOCKET_STREAM, &conns[i].h,
				     &peers[i]) != ZX_OK) {
			fprintf(stderr, "epoll_server: zx_socket_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < NCONN; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			return 1;
		if (pids[i] == 0) {
			/* Keep only our own end, so hang-ups are seen. */
			for (j = 0; j < NCONN; j++) {
				zx_handle_close(conns[j].h);
				if (j != i)
					zx_handle_close(peers[j]);
			}
			zx_handle_close(port);
			_exit(client(i, peers[i], conns[i].dgram));
		}
	}
	for (i = 0; i < NCONN; i++)
		zx_handle_close(peers[i]);

	if (server())
		failures++;
	for (i = 0; i < NCONN; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "epoll_server: client %d failed (status %#x)\n",
				i, status);
			failures++;
		}
	}
	zx_handle_close(port);
	if (failures) {
		fprintf(stderr, "epoll_server: %d failures\n", failures);
		return 1;
	}
	printf("epoll_server: ok\n");
	return 0;
}
