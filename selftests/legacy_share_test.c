// SPDX-License-Identifier: GPL-2.0
/*
 * legacy_share_test: share/accept and the control plane beyond one thread.
 *
 *  - across processes: accept in a forked child, share an endpoint that
 *    arrived over SCM_RIGHTS, use an accepted endpoint after its creator
 *    exited, and a queued endpoint that lives and dies with the process
 *    holding its queue;
 *  - the no-cycle proof: every combination the rules allow (and the ones
 *    they forbid), every close order, and after each one every object is
 *    freed: each endpoint file holds a reference on the module, so
 *    /sys/module/zxsocket/refcnt must be back at its baseline (the debug
 *    kernel adds kmemleak, and rmmod fails on a leaked file);
 *  - every signal hand-off of the legacy signals to a blocked waiter:
 *    zx_object_wait_one, zx_object_wait_many and poll().
 *
 * Children never use the harness macros: they exit non-zero and say why.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <zircon/syscalls.h>
#include <zircon/types.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_test_util.h"

#define R	ZX_SOCKET_READABLE
#define W	ZX_SOCKET_WRITABLE
#define PC	ZX_SOCKET_PEER_CLOSED
#define CR	ZX_SOCKET_CONTROL_READABLE
#define CW	ZX_SOCKET_CONTROL_WRITABLE
#define AC	ZX_SOCKET_ACCEPT
#define SH	ZX_SOCKET_SHARE
#define ALL	ZX_DEFAULT_SOCKET_RIGHTS

#define CHILD_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "child: line %d: %s\n", __LINE__, #cond); \
		_exit(1);						\
	}								\
} while (0)

/* References held on the module: one per endpoint file and device fd. */
static long module_refs(void)
{
	char buf[32] = { 0 };
	int fd = open("/sys/module/zxsocket/refcnt", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * The baseline: the library's device fd, opened by a first create, counts
 * once and stays open for the life of the process.
 */
static long refs_baseline(void)
{
	zx_handle_t p, q;

	if (zx_socket_create(0, &p, &q) != ZX_OK)
		return -1;
	zx_handle_close(p);
	zx_handle_close(q);
	return module_refs();
}

static bool consumed(zx_handle_t h)
{
	return fcntl((int)h, F_GETFD) == -1 && errno == EBADF;
}

/* The child's exit status, or -1 if it did not exit normally. */
static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static zx_status_t wait_for(zx_handle_t h, zx_signals_t s)
{
	return zx_object_wait_one(h, s, zx_deadline_after(ZXS_LONG_NS), NULL);
}

/* ========================================================= across processes */

FIXTURE(xproc) {
	long base;
	zx_handle_t a, b, x, y;
	zx_koid_t xkoid;
};

FIXTURE_VARIANT(xproc) {
	uint32_t type;
};

FIXTURE_VARIANT_ADD(xproc, stream) {
	.type = ZX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(xproc, datagram) {
	.type = ZX_SOCKET_DATAGRAM,
};

FIXTURE_SETUP(xproc)
{
	self->base = refs_baseline();
	ASSERT_LT(0, self->base);
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->type | ZX_SOCKET_HAS_ACCEPT,
					  &self->a, &self->b));
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->type, &self->x, &self->y));
	self->xkoid = zxs_koid(self->x);
}

FIXTURE_TEARDOWN(xproc)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
	zxs_close(&self->x);
	zxs_close(&self->y);
}

/* Everything closed: every endpoint file is gone. */
static void expect_all_freed(struct __test_metadata *_metadata,
			     FIXTURE_DATA(xproc) *self)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
	zxs_close(&self->x);
	zxs_close(&self->y);
	EXPECT_EQ(self->base, module_refs());
}

TEST_F(xproc, forked_child_accepts_and_uses_it)
{
	char buf[8];
	size_t n;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		zx_handle_t got;

		/* Keep only the receiving end of the carrier. */
		zx_handle_close(self->a);
		zx_handle_close(self->x);
		zx_handle_close(self->y);
		CHILD_CHECK(wait_for(self->b, AC) == ZX_OK);
		CHILD_CHECK(zx_socket_accept(self->b, &got) == ZX_OK);
		CHILD_CHECK(zxs_koid(got) == self->xkoid);
		CHILD_CHECK(zxs_rights(got) == ALL);
		CHILD_CHECK(zx_socket_write(got, 0, "hi", 2, &n) == ZX_OK);
		CHILD_CHECK(wait_for(got, R) == ZX_OK);
		CHILD_CHECK(zx_socket_read(got, 0, buf, sizeof(buf), &n) == ZX_OK);
		CHILD_CHECK(n == 2 && !memcmp(buf, "yo", 2));
		_exit(0);
	}
	zxs_close(&self->b);
	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	EXPECT_TRUE(consumed(self->x));
	self->x = ZX_HANDLE_INVALID;
	ASSERT_EQ(ZX_OK, wait_for(self->y, R));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(2, n);
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "yo", 2, &n));
	EXPECT_EQ(0, reap(pid));
	/* The child's exit closed the accepted endpoint. */
	EXPECT_EQ(PC, zxs_signals(self->y) & PC);
	expect_all_freed(_metadata, self);
}

TEST_F(xproc, accepted_endpoint_outlives_its_creator)
{
	int sv[2], yfd;
	char buf[8];
	size_t n;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		zx_handle_t p, q;

		zx_handle_close(self->b);
		zx_handle_close(self->x);
		zx_handle_close(self->y);
		/* The creator: makes a socket, queues one end, hands over the other. */
		CHILD_CHECK(zx_socket_create(variant->type, &p, &q) == ZX_OK);
		CHILD_CHECK(zx_socket_write(q, 0, "early", 5, &n) == ZX_OK);
		CHILD_CHECK(zx_socket_share(self->a, p) == ZX_OK);
		CHILD_CHECK(zxs_send_fd(sv[1], (int)q) == 0);
		_exit(0);
	}
	close(sv[1]);
	EXPECT_EQ(0, reap(pid));
	yfd = zxs_recv_fd(sv[0]);
	close(sv[0]);
	ASSERT_LE(0, yfd);
	/* The creator is gone; its socket lives on, queued in b. */
	EXPECT_EQ(W, zxs_signals((zx_handle_t)yfd));
	zxs_close(&self->y);
	self->y = (zx_handle_t)yfd;
	zxs_close(&self->x);
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &self->x));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->x, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(5, n);
	EXPECT_EQ(0, memcmp(buf, "early", 5));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->x, 0, "late", 4, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(4, n);
	expect_all_freed(_metadata, self);
}

TEST_F(xproc, share_an_endpoint_received_over_scm_rights)
{
	zx_rights_t rights = ALL & ~(ZX_RIGHT_DUPLICATE | ZX_RIGHT_SIGNAL);
	zx_handle_t s, got = ZX_HANDLE_INVALID;
	int sv[2];
	char c = 0;
	size_t n;
	pid_t pid;

	s = zxs_handle_with_rights(self->x, rights);
	ASSERT_NE(ZX_HANDLE_INVALID, s);
	zxs_close(&self->x);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		zx_handle_close(s);	/* the parent's copy, inherited */
		zx_handle_close(self->b);
		zx_handle_close(self->y);
		fd = zxs_recv_fd(sv[1]);
		CHILD_CHECK(fd > 0);
		CHILD_CHECK(zxs_rights((zx_handle_t)fd) == rights);
		CHILD_CHECK(zx_socket_share(self->a, (zx_handle_t)fd) == ZX_OK);
		CHILD_CHECK(consumed((zx_handle_t)fd));
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, zxs_send_fd(sv[0], (int)s));
	zx_handle_close(s);	/* the only copy now travels in the message */
	close(sv[0]);
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
	ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
	EXPECT_EQ(rights, zxs_rights(got));
	EXPECT_EQ(self->xkoid, zxs_koid(got));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "s", 1, &n));
	ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, &c, 1, &n));
	EXPECT_EQ('s', c);
	zx_handle_close(got);
	EXPECT_EQ(PC, zxs_signals(self->y) & PC);
	expect_all_freed(_metadata, self);
}

TEST_F(xproc, accept_on_a_carrier_received_over_scm_rights)
{
	int sv[2];
	char c = 0;
	size_t n;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		zx_handle_t got;
		int fd;

		zx_handle_close(self->a);
		zx_handle_close(self->b);
		zx_handle_close(self->x);
		zx_handle_close(self->y);
		fd = zxs_recv_fd(sv[1]);
		CHILD_CHECK(fd > 0);
		CHILD_CHECK(wait_for((zx_handle_t)fd, AC) == ZX_OK);
		CHILD_CHECK(zx_socket_accept((zx_handle_t)fd, &got) == ZX_OK);
		CHILD_CHECK(zx_socket_write(got, 0, "r", 1, &n) == ZX_OK);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(0, zxs_send_fd(sv[0], (int)self->b));
	close(sv[0]);
	zxs_close(&self->b);
	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	EXPECT_EQ(0, reap(pid));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->y, 0, &c, 1, &n));
	EXPECT_EQ('r', c);
	EXPECT_EQ(PC, zxs_signals(self->y) & PC);
	/* The carrier's receiving end died with the child. */
	EXPECT_EQ(PC, zxs_signals(self->a) & PC);
	expect_all_freed(_metadata, self);
}

TEST_F(xproc, queued_endpoint_lives_and_dies_with_the_queue_holder)
{
	zx_signals_t ysig;
	int go[2];
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		zx_handle_close(self->a);
		zx_handle_close(self->x);
		zx_handle_close(self->y);
		close(go[1]);
		/* Hold the queue, never accept, exit when told. */
		CHILD_CHECK(wait_for(self->b, AC) == ZX_OK);
		CHILD_CHECK(read(go[0], &c, 1) == 0);
		_exit(0);
	}
	close(go[0]);
	zxs_close(&self->b);
	ysig = zxs_signals(self->y);
	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	/* Queued in another process: alive, its peer sees nothing change. */
	EXPECT_EQ(ysig, zxs_signals(self->y));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->y, 0, "w", 1, NULL));
	EXPECT_EQ(0, zxs_signals(self->y) & PC);
	close(go[1]);
	EXPECT_EQ(0, reap(pid));
	/* The holder's exit closed b, and the queued endpoint died with it. */
	EXPECT_EQ(PC, zxs_signals(self->y) & (PC | W));
	EXPECT_EQ(PC, zxs_signals(self->a) & PC);
	expect_all_freed(_metadata, self);
}

/* ============================================================ no cycles */

/* What is shared: a plain end, a HAS_ACCEPT end, the carrier's own ends. */
enum shared_kind { PLAIN, ACCEPTOR, SELF, PEER, NKINDS };

static const char *const kind_name[] = { "plain", "has_accept", "self", "peer" };

/* Next permutation of @p[0..n) in lexicographic order; false after the last. */
static bool next_perm(int *p, int n)
{
	int i = n - 2, j, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	for (j = n - 1; p[j] <= p[i]; j--)
		;
	t = p[i], p[i] = p[j], p[j] = t;
	for (i++, j = n - 1; i < j; i++, j--)
		t = p[i], p[i] = p[j], p[j] = t;
	return true;
}

struct combo {
	uint32_t ctype, stype;	/* carrier and shared socket types */
	enum shared_kind kind;
	int end;		/* which end of the shared socket */
	int dir;		/* 0: share via a (into b), 1: via b */
	bool accept;		/* accept it, or leave it queued */
};

/*
 * One combination in every close order of the fds it leaves: the carrier's
 * two ends, the shared socket's other end, the accepted fd.  Returns the
 * number of orders tried; after each, the module's refcount must be back
 * at @base, and while they live the shared end's peer must see PEER_CLOSED
 * exactly when what holds the shared end (queue or accepted fd) is gone.
 */
static int try_combo(struct __test_metadata *_metadata, const struct combo *c,
		     long base)
{
	bool ok = c->kind == PLAIN;
	bool has_other = c->kind == PLAIN || c->kind == ACCEPTOR;
	int nfds = 2 + has_other + (ok && c->accept);
	int order[4] = { 0, 1, 2, 3 }, tried = 0;

	do {
		zx_handle_t car[2], sh[2], s, fds[4];
		zx_handle_t other = ZX_HANDLE_INVALID;
		bool closed[4] = { false };
		int i, recv_idx = !c->dir;
		long refs;

		ASSERT_EQ(ZX_OK, zx_socket_create(c->ctype | ZX_SOCKET_HAS_ACCEPT,
						  &car[0], &car[1]));
		if (has_other) {
			ASSERT_EQ(ZX_OK, zx_socket_create(
				c->stype | (c->kind == ACCEPTOR ?
					    ZX_SOCKET_HAS_ACCEPT : 0),
				&sh[0], &sh[1]));
			s = sh[c->end];
			other = sh[!c->end];
		} else {
			s = zxs_handle_with_rights(
				car[c->kind == SELF ? c->dir : !c->dir], ALL);
		}
		EXPECT_EQ(ok ? ZX_OK : ZX_ERR_BAD_STATE,
			  zx_socket_share(car[c->dir], s));
		EXPECT_TRUE(consumed(s));
		fds[0] = car[0];
		fds[1] = car[1];
		if (has_other)
			fds[2] = other;
		if (nfds == 4)
			ASSERT_EQ(ZX_OK, zx_socket_accept(car[recv_idx], &fds[3]));

		for (i = 0; i < nfds; i++) {
			bool alive;

			zx_handle_close(fds[order[i]]);
			closed[order[i]] = true;
			if (!ok || closed[2])
				continue;
			alive = nfds == 4 ? !closed[3] : !closed[recv_idx];
			if ((zxs_signals(other) & PC) != (alive ? 0 : PC))
				TH_LOG("%s end %d dir %d accept %d: order %d%d%d%d",
				       kind_name[c->kind], c->end, c->dir,
				       c->accept, order[0], order[1],
				       order[2], order[3]);
			EXPECT_EQ(alive ? 0 : PC, zxs_signals(other) & PC);
		}
		refs = module_refs();
		if (refs != base)
			TH_LOG("leak: ctype %u stype %u %s end %d dir %d accept %d: order %d%d%d%d",
			       c->ctype, c->stype, kind_name[c->kind], c->end,
			       c->dir, c->accept, order[0], order[1], order[2],
			       order[3]);
		EXPECT_EQ(base, refs);
		tried++;
	} while (next_perm(order, nfds));
	return tried;
}

/* Both ends of one socket shared, one in each direction. */
static int try_both_ends(struct __test_metadata *_metadata, uint32_t ctype,
			 uint32_t stype, bool acc_x, bool acc_y, long base)
{
	int order[4] = { 0, 1, 2, 3 }, nfds = 2 + acc_x + acc_y, tried = 0;

	do {
		zx_handle_t car[2], x, y, fds[4];
		int i, n = 2;
		long refs;

		ASSERT_EQ(ZX_OK, zx_socket_create(ctype | ZX_SOCKET_HAS_ACCEPT,
						  &car[0], &car[1]));
		ASSERT_EQ(ZX_OK, zx_socket_create(stype, &x, &y));
		ASSERT_EQ(ZX_OK, zx_socket_share(car[0], x));
		ASSERT_EQ(ZX_OK, zx_socket_share(car[1], y));
		fds[0] = car[0];
		fds[1] = car[1];
		if (acc_x)
			ASSERT_EQ(ZX_OK, zx_socket_accept(car[1], &fds[n++]));
		if (acc_y)
			ASSERT_EQ(ZX_OK, zx_socket_accept(car[0], &fds[n++]));
		for (i = 0; i < nfds; i++)
			zx_handle_close(fds[order[i]]);
		refs = module_refs();
		if (refs != base)
			TH_LOG("leak: both ends, accept %d/%d: order %d%d%d%d",
			       acc_x, acc_y, order[0], order[1], order[2],
			       order[3]);
		EXPECT_EQ(base, refs);
		tried++;
	} while (next_perm(order, nfds));
	return tried;
}

TEST(no_cycle_every_combination_frees_everything)
{
	static const uint32_t types[] = { ZX_SOCKET_STREAM, ZX_SOCKET_DATAGRAM };
	long base = refs_baseline();
	int ct, st, kind, end, dir, acc, accy, tried = 0;
	zx_handle_t p, q;

	ASSERT_LT(0, base);
	for (ct = 0; ct < 2; ct++) {
		for (st = 0; st < 2; st++) {
			for (kind = 0; kind < NKINDS; kind++) {
				for (end = 0; end < 2; end++) {
					for (dir = 0; dir < 2; dir++) {
						for (acc = 0; acc < 2; acc++) {
							struct combo c;

							/* end and accept only matter for some kinds */
							if ((kind == SELF || kind == PEER) && end)
								continue;
							if (kind != PLAIN && acc)
								continue;
							c = (struct combo){
								.ctype = types[ct],
								.stype = types[st],
								.kind = kind,
								.end = end,
								.dir = dir,
								.accept = acc,
							};

							tried += try_combo(_metadata, &c, base);
						}
					}
				}
			}
			for (acc = 0; acc < 2; acc++)
				for (accy = 0; accy < 2; accy++)
					tried += try_both_ends(_metadata, types[ct],
							       types[st], acc, accy,
							       base);
		}
	}
	TH_LOG("%d combinations and close orders, all freed", tried);
	/* Sanity: the count is real, an open endpoint holds a reference. */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &p, &q));
	EXPECT_EQ(base + 2, module_refs());
	zx_handle_close(p);
	zx_handle_close(q);
	EXPECT_EQ(base, module_refs());
}

/* ============================================================ hand-offs */

FIXTURE(handoff) {
	zx_handle_t a, b;	/* HAS_ACCEPT | HAS_CONTROL */
	zx_handle_t x, y;
};

FIXTURE_VARIANT(handoff) {
	uint32_t type;
};

FIXTURE_VARIANT_ADD(handoff, stream) {
	.type = ZX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(handoff, datagram) {
	.type = ZX_SOCKET_DATAGRAM,
};

FIXTURE_SETUP(handoff)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->type | ZX_SOCKET_HAS_ACCEPT |
					  ZX_SOCKET_HAS_CONTROL,
					  &self->a, &self->b));
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->type, &self->x, &self->y));
}

FIXTURE_TEARDOWN(handoff)
{
	zxs_close(&self->a);
	zxs_close(&self->b);
	zxs_close(&self->x);
	zxs_close(&self->y);
}

enum how { WAIT_ONE, WAIT_MANY, POLL };

/* A thread asleep in poll() on one fd. */
struct poller {
	int fd;
	short events;
	int ret;
	short revents;
	pid_t tid;
	atomic_int state;
	pthread_t thread;
};

static void *poller_main(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = p->events };

	p->tid = zxs_gettid();
	atomic_store(&p->state, 1);
	p->ret = poll(&pfd, 1, (int)(ZXS_LONG_NS / ZXS_NSEC_PER_MSEC));
	p->revents = pfd.revents;
	atomic_store(&p->state, 2);
	return NULL;
}

/*
 * Block a waiter on @h for @sig (by @how; for wait_many next to an item
 * on @decoy that stays unsatisfied), run @act, and check the waiter woke
 * with the signal.
 */
#define HANDOFF(how, h, sig, decoy, act) do {				\
	struct zxs_waiter w = { 0 };					\
	struct poller p = { 0 };					\
	zx_wait_item_t items[2] = {					\
		{ .handle = (decoy), .waitfor = ZX_USER_SIGNAL_7 },	\
		{ .handle = (h), .waitfor = (sig) },			\
	};								\
	if ((how) == POLL) {						\
		p.fd = (int)(h);					\
		p.events = POLLPRI;					\
		ASSERT_EQ(0, pthread_create(&p.thread, NULL, poller_main, &p)); \
		while (atomic_load(&p.state) == 0)			\
			sched_yield();					\
		zxs_wait_thread_asleep(p.tid, ZXS_LONG_NS);		\
		EXPECT_NE(2, atomic_load(&p.state));			\
		act;							\
		pthread_join(p.thread, NULL);				\
		EXPECT_EQ(1, p.ret);					\
		EXPECT_EQ(POLLPRI, p.revents);				\
	} else {							\
		w.deadline = zx_deadline_after(ZXS_LONG_NS);		\
		if ((how) == WAIT_MANY) {				\
			w.items = items;				\
			w.count = 2;					\
		} else {						\
			w.handle = (h);					\
			w.signals = (sig);				\
		}							\
		ASSERT_EQ(0, zxs_waiter_start(&w));			\
		EXPECT_FALSE(zxs_waiter_returned(&w));			\
		act;							\
		zxs_waiter_join(&w);					\
		EXPECT_EQ(ZX_OK, w.status);				\
		if ((how) == WAIT_MANY) {				\
			EXPECT_EQ(sig, items[1].pending & (sig));	\
			EXPECT_EQ(0, items[0].pending & ZX_USER_SIGNAL_7); \
		} else {						\
			EXPECT_EQ(sig, w.observed & (sig));		\
		}							\
	}								\
} while (0)

static void share_then_accept(struct __test_metadata *_metadata,
			      FIXTURE_DATA(handoff) *self, enum how how)
{
	zx_handle_t got = ZX_HANDLE_INVALID;

	/* ACCEPT to a waiter on the receiver. */
	HANDOFF(how, self->b, AC, self->y,
		ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x)));
	self->x = ZX_HANDLE_INVALID;
	if (how == POLL) {
		ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got));
		zx_handle_close(got);
		return;	/* SHARE has no poll bit */
	}
	/* SHARE back to a waiter on the sender. */
	HANDOFF(how, self->a, SH, self->y,
		ASSERT_EQ(ZX_OK, zx_socket_accept(self->b, &got)));
	zx_handle_close(got);
}

static void control_both_ways(struct __test_metadata *_metadata,
			      FIXTURE_DATA(handoff) *self, enum how how)
{
	char buf[8];
	size_t n;

	HANDOFF(how, self->b, CR, self->y,
		ASSERT_EQ(ZX_OK, zx_socket_write(self->a, ZX_SOCKET_CONTROL,
						 "c", 1, &n)));
	if (how == POLL) {
		ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL,
						buf, 8, &n));
		return;	/* CONTROL_WRITABLE has no poll bit */
	}
	EXPECT_EQ(0, zxs_signals(self->a) & CW);
	HANDOFF(how, self->a, CW, self->y,
		ASSERT_EQ(ZX_OK, zx_socket_read(self->b, ZX_SOCKET_CONTROL,
						buf, 8, &n)));
}

TEST_F(handoff, share_accept_wait_one)
{
	share_then_accept(_metadata, self, WAIT_ONE);
}

TEST_F(handoff, share_accept_wait_many)
{
	share_then_accept(_metadata, self, WAIT_MANY);
}

TEST_F(handoff, accept_poll_pri)
{
	share_then_accept(_metadata, self, POLL);
}

TEST_F(handoff, control_wait_one)
{
	control_both_ways(_metadata, self, WAIT_ONE);
}

TEST_F(handoff, control_wait_many)
{
	control_both_ways(_metadata, self, WAIT_MANY);
}

TEST_F(handoff, control_poll_pri)
{
	control_both_ways(_metadata, self, POLL);
}

TEST_F(handoff, deadlines_pass_without_the_signal)
{
	zx_signals_t obs = 0;
	zx_wait_item_t items[2] = {
		{ .handle = self->a, .waitfor = AC | CR },
		{ .handle = self->b, .waitfor = AC | CR },
	};
	int64_t start = zxs_now_ns();

	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_one(self->b, AC | CR,
				     zx_deadline_after(ZXS_SHORT_NS), &obs));
	EXPECT_EQ(W | SH | CW, obs);
	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_many(items, 2, zx_deadline_after(ZXS_SHORT_NS)));
	EXPECT_EQ(W | SH | CW, items[0].pending);
	EXPECT_EQ(W | SH | CW, items[1].pending);
	EXPECT_LE(2 * ZXS_SHORT_NS, zxs_now_ns() - start);
}

TEST_F(handoff, peer_closed_reaches_a_waiter_through_the_queue)
{
	struct zxs_waiter w = {
		.handle = self->y, .signals = PC,
		.deadline = zx_deadline_after(ZXS_LONG_NS),
	};

	ASSERT_EQ(ZX_OK, zx_socket_share(self->a, self->x));
	self->x = ZX_HANDLE_INVALID;
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	/* Closing the queue holder kills the queued end; y's waiter wakes. */
	zxs_close(&self->b);
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(PC, w.observed & (PC | W));
}

TEST_HARNESS_MAIN
