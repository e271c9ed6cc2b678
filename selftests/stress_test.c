// SPDX-License-Identifier: GPL-2.0
/*
 * stress_test: integrity under concurrency, and writers that must wake.
 *
 * "stress" runs many socket pairs at once, stream and datagram, for
 * $ZXS_STRESS_SECONDS (default 5).  Each pair runs rounds; a round sends
 * records one way between two endpoints with writer threads (or a forked
 * writer process), a reader thread, a waiter blocked on one end for the
 * whole round, and a chaos thread doing waits, polls, info, user signals
 * and handle swaps.  Every record carries its pair, round, writer, a
 * sequence number and a checksum, so the reader sees any loss,
 * duplication, reordering or corruption:
 *   - stream: records may be split across reads; each writer's sequence
 *     must go on without a gap;
 *   - datagram: one record per datagram, its length the datagram's;
 *   - a peek must agree with the read that follows it.
 * A round ends in one of several ways: the writer closes its end, shuts
 * it down, or sets its disposition; the reader shuts down its read side
 * or closes its end while writers may be blocked; a forked writer exits.
 * Where nothing may be lost, the reader must have received exactly what
 * the writers got accepted.  A watchdog fails the test if any thread or
 * process stops making progress (a wedged waiter).  The last lines print
 * the operations done and anomalies found; any anomaly fails the test.
 *
 * The other tests pin wakeups of a blocked write(2), wait_one and poll on
 * the transitions that make them ready without asserting a new signal.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/zxsocket.h>

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_test_util.h"

#define REC_MAGIC	0x5a58534bu
#define REC_HDR		((uint32_t)sizeof(struct rec))
#define STREAM_MAX	16384u		/* largest stream record */
#define DGRAM_MAX	8192u		/* largest datagram */
#define MAX_PAIRS	32
#define MAX_WRITERS	2
#define SLOTS_PER_PAIR	6		/* driver, 2 writers, reader, waiter, chaos */
#define MAX_MSGS	16
#define LONG_WAIT_NS	(120 * ZXS_NSEC_PER_SEC)

struct rec {
	uint32_t magic;
	uint16_t pair;
	uint16_t writer;
	uint32_t round;
	uint32_t len;		/* whole record, this header included */
	uint64_t seq;
	uint32_t csum;		/* FNV-1a of the record with csum = 0 */
	uint32_t zero;
};

enum end_mode {
	END_CLOSE,		/* writers done: close the writing end */
	END_SHUTDOWN,		/* writers done: shut the writing end down */
	END_DISPOSITION,	/* writers done: reader disables its peer's writes */
	END_READER_SHUTDOWN,	/* reader shuts its read side down mid-round */
	END_READER_CLOSE,	/* reader closes its end mid-round: lossy */
	END_FORK,		/* the writer is a child process that exits */
	END_MODES
};

static const char *const end_names[END_MODES] = {
	"close", "shutdown", "disposition", "reader-shutdown", "reader-close",
	"fork",
};

/* Everything a forked writer must report lives in shared memory. */
struct round_result {
	atomic_ullong written_bytes[MAX_WRITERS];
	atomic_ullong written_recs[MAX_WRITERS];
	atomic_int writers_left;
};

struct slot {
	atomic_llong beat;	/* last progress, CLOCK_MONOTONIC ns; 0 idle */
	char what[48];
};

struct shared {
	atomic_ullong ops;
	atomic_ullong anomalies;
	atomic_ullong rounds;
	atomic_ullong records;
	atomic_ullong bytes;
	atomic_ullong wakeups;		/* blocked threads woken by a close */
	atomic_ullong by_mode[END_MODES];
	atomic_int nmsgs;
	char msgs[MAX_MSGS][200];
	struct slot slots[MAX_PAIRS * SLOTS_PER_PAIR];
	struct round_result res[MAX_PAIRS];
};

static struct shared *sh;
static int64_t stress_end_ns;

static void anomaly(const char *fmt, ...)
{
	va_list ap;
	int i;

	atomic_fetch_add(&sh->anomalies, 1);
	i = atomic_fetch_add(&sh->nmsgs, 1);
	if (i >= MAX_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->msgs[i], sizeof(sh->msgs[i]), fmt, ap);
	va_end(ap);
}

static uint32_t fnv1a(const void *p, size_t n, uint32_t h)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= 16777619u;
	}
	return h;
}

static uint32_t rec_csum(const struct rec *r)
{
	struct rec hdr = *r;

	hdr.csum = 0;
	return fnv1a((const uint8_t *)r + REC_HDR, r->len - REC_HDR,
		     fnv1a(&hdr, REC_HDR, 2166136261u));
}

static void rec_build(void *buf, uint16_t pair, uint16_t writer,
		      uint32_t round, uint64_t seq, uint32_t len)
{
	struct rec *r = buf;

	memset(r, 0, REC_HDR);
	r->magic = REC_MAGIC;
	r->pair = pair;
	r->writer = writer;
	r->round = round;
	r->len = len;
	r->seq = seq;
	zxs_pattern_fill((uint8_t *)buf + REC_HDR, len - REC_HDR,
			 ((uint64_t)pair << 20) ^ ((uint64_t)round << 4) ^ writer,
			 seq * 7919);
	r->csum = rec_csum(r);
}

/* ------------------------------------------------------------- a round */

struct round {
	struct shared *sh;
	struct round_result *res;
	int pair;
	uint32_t round;
	bool datagram;
	enum end_mode mode;
	int nwriters;
	uint32_t maxrec;
	uint64_t recs_per_writer;
	uint64_t rng;
	zx_handle_t w, r;		/* writing and reading ends */
	pthread_rwlock_t lock;		/* close/swap (write) vs chaos (read) */
	bool w_closed, r_closed;
	atomic_bool done;		/* reader finished: helpers stop */
	atomic_bool readers_cut;	/* lossy: writers may fail */
	/* reader results */
	uint64_t recv_bytes, recv_recs[MAX_WRITERS];
	bool parse_broken;
};

struct worker {
	struct round *rd;
	int id;			/* writer index */
	struct slot *slot;
	uint64_t rng;
	unsigned long long ops;
};

static void beat(struct worker *wk)
{
	atomic_store_explicit(&wk->slot->beat, zxs_now_ns(),
			      memory_order_relaxed);
	if (++wk->ops >= 64) {
		atomic_fetch_add(&wk->rd->sh->ops, wk->ops);
		wk->ops = 0;
	}
}

static void worker_done(struct worker *wk)
{
	atomic_fetch_add(&wk->rd->sh->ops, wk->ops);
	wk->ops = 0;
	atomic_store(&wk->slot->beat, 0);
}

static void slot_name(struct worker *wk, const char *role)
{
	snprintf(wk->slot->what, sizeof(wk->slot->what), "pair %d %s %s (%s)",
		 wk->rd->pair, wk->rd->datagram ? "dgram" : "stream", role,
		 end_names[wk->rd->mode]);
}

/*
 * Wait on @h for any of @signals by one of three ways, chosen at random.
 * Returns the observed signals, or 0 after reporting an anomaly if the
 * deadline passed: every caller waits for something that must happen.
 */
static zx_signals_t wait_any_way(struct worker *wk, zx_handle_t h,
				 zx_signals_t signals, const char *who)
{
	zx_signals_t observed = 0;
	zx_status_t st;
	int how = zxs_rand(&wk->rng) % 3;

	beat(wk);
	if (how == 0) {
		st = zx_object_wait_one(h, signals,
					zx_deadline_after(LONG_WAIT_NS),
					&observed);
	} else if (how == 1) {
		zx_wait_item_t item = { .handle = h, .waitfor = signals };

		st = zx_object_wait_many(&item, 1,
					 zx_deadline_after(LONG_WAIT_NS));
		observed = item.pending;
	} else {
		struct pollfd pfd = { .fd = (int)h, .events = POLLIN | POLLOUT };
		short want = 0;
		int n;

		if (signals & (ZX_SOCKET_READABLE | ZX_SOCKET_PEER_CLOSED |
			       ZX_SOCKET_PEER_WRITE_DISABLED))
			want |= POLLIN | POLLHUP | POLLRDHUP;
		if (signals & ZX_SOCKET_WRITABLE)
			want |= POLLOUT;
		if (signals & ZX_SOCKET_WRITE_DISABLED)
			want |= POLLERR;
		pfd.events = want | POLLRDHUP;
		n = poll(&pfd, 1, (int)(LONG_WAIT_NS / ZXS_NSEC_PER_MSEC));
		st = n > 0 ? ZX_OK : ZX_ERR_TIMED_OUT;
		observed = zxs_signals(h);
		if (st == ZX_OK && !(observed & signals) &&
		    !(pfd.revents & want))
			st = ZX_ERR_INTERNAL;
		if (st == ZX_OK && !(observed & signals))
			observed = signals;	/* level changed since: retry */
	}
	beat(wk);
	if (st != ZX_OK || !(observed & signals)) {
		anomaly("pair %d round %u: %s wait (way %d) for %#x returned %d, observed %#x",
			wk->rd->pair, wk->rd->round, who, how, signals, st,
			observed);
		return 0;
	}
	return observed;
}

/* Close the round's @which end (0 writer's, 1 reader's) under the lock. */
static void close_end(struct round *rd, int which)
{
	pthread_rwlock_wrlock(&rd->lock);
	if (which == 0 && !rd->w_closed) {
		zx_handle_close(rd->w);
		rd->w_closed = true;
	} else if (which == 1 && !rd->r_closed) {
		zx_handle_close(rd->r);
		rd->r_closed = true;
	}
	pthread_rwlock_unlock(&rd->lock);
}

/* Replace the handle of one end by a duplicate (or zx_handle_replace). */
static void swap_end(struct worker *wk, zx_handle_t *h, bool *closed)
{
	struct round *rd = wk->rd;
	zx_handle_t n = ZX_HANDLE_INVALID;
	zx_status_t st;

	pthread_rwlock_wrlock(&rd->lock);
	if (!*closed) {
		if (zxs_rand(&wk->rng) & 1) {
			st = zx_handle_duplicate(*h, ZX_RIGHT_SAME_RIGHTS, &n);
			if (st == ZX_OK)
				zx_handle_close(*h);
		} else {
			st = zx_handle_replace(*h, ZX_RIGHT_SAME_RIGHTS, &n);
		}
		if (st == ZX_OK)
			*h = n;
		else
			anomaly("pair %d: duplicate/replace failed: %d",
				rd->pair, st);
	}
	pthread_rwlock_unlock(&rd->lock);
	beat(wk);
}

/* May a write fail now because the reader went away or shut down? */
static bool write_failure_expected(struct round *rd)
{
	return atomic_load(&rd->readers_cut);
}

/* -------------------------------------------------------------- writer */

/*
 * Write one record.  Returns false when the socket stopped taking data
 * (which the caller checks was allowed).
 */
static bool write_record(struct worker *wk, zx_handle_t h, const uint8_t *buf,
			 uint32_t len)
{
	struct round *rd = wk->rd;
	struct round_result *res = rd->res;
	uint32_t off = 0;

	while (off < len) {
		size_t actual = 0;
		zx_status_t st;
		ssize_t n;

		beat(wk);
		if (zxs_rand(&wk->rng) % 2 == 0) {
			n = write((int)h, buf + off, len - off);
			beat(wk);
			if (n > 0) {
				if (rd->datagram && (uint32_t)n != len)
					anomaly("pair %d: datagram write(2) of %u wrote %zd",
						rd->pair, len, n);
				off += n;
				atomic_fetch_add(&res->written_bytes[wk->id], n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EPIPE)
				return false;
			anomaly("pair %d: write(2) returned %zd errno %d",
				rd->pair, n, errno);
			return false;
		}
		st = zx_socket_write(h, 0, buf + off, len - off, &actual);
		beat(wk);
		if (st == ZX_OK) {
			if (rd->datagram && actual != len)
				anomaly("pair %d: datagram write of %u wrote %zu",
					rd->pair, len, actual);
			off += actual;
			atomic_fetch_add(&res->written_bytes[wk->id], actual);
			continue;
		}
		if (st == ZX_ERR_PEER_CLOSED || st == ZX_ERR_BAD_STATE)
			return false;
		if (st != ZX_ERR_SHOULD_WAIT) {
			anomaly("pair %d: zx_socket_write: %d", rd->pair, st);
			return false;
		}
		if (!wait_any_way(wk, h, ZX_SOCKET_WRITABLE |
				  ZX_SOCKET_PEER_CLOSED |
				  ZX_SOCKET_WRITE_DISABLED, "writer"))
			return false;
		/* WRITABLE is not room for a whole datagram: do not spin. */
		if (rd->datagram)
			zxs_sleep_ns(200000);
	}
	atomic_fetch_add(&res->written_recs[wk->id], 1);
	return true;
}

static void writer_loop(struct worker *wk, zx_handle_t *h, bool *closed,
			bool may_swap)
{
	struct round *rd = wk->rd;
	static __thread uint8_t buf[STREAM_MAX];
	uint64_t seq;

	for (seq = 0; seq < rd->recs_per_writer; seq++) {
		uint32_t len = REC_HDR + zxs_rand(&wk->rng) %
			(rd->maxrec - REC_HDR + 1);

		if (zxs_rand(&wk->rng) % 8 == 0)
			len = REC_HDR + zxs_rand(&wk->rng) % 64;
		rec_build(buf, rd->pair, wk->id, rd->round, seq, len);
		if (!write_record(wk, *h, buf, len)) {
			if (!write_failure_expected(rd))
				anomaly("pair %d round %u (%s): writer %d stopped at record %llu although the reader is there",
					rd->pair, rd->round, end_names[rd->mode],
					wk->id, (unsigned long long)seq);
			return;
		}
		if (may_swap && zxs_rand(&wk->rng) % 64 == 0)
			swap_end(wk, h, closed);
	}
}

/* After the last writer: end the round the way its mode says. */
static void writers_finished(struct worker *wk)
{
	struct round *rd = wk->rd;
	zx_status_t st = ZX_OK;

	switch (rd->mode) {
	case END_CLOSE:
		close_end(rd, 0);
		break;
	case END_SHUTDOWN:
		pthread_rwlock_rdlock(&rd->lock);
		st = zx_socket_shutdown(rd->w, ZX_SOCKET_SHUTDOWN_WRITE);
		pthread_rwlock_unlock(&rd->lock);
		/* The reader's early stop disabled our writes already. */
		if (st == ZX_ERR_BAD_STATE && atomic_load(&rd->readers_cut))
			st = ZX_OK;
		break;
	case END_DISPOSITION:
		/* The reader's end disables its peer's writes. */
		pthread_rwlock_rdlock(&rd->lock);
		if (!rd->r_closed)	/* closed: the reader stopped early */
			st = zx_socket_set_disposition(rd->r, 0,
					ZX_SOCKET_DISPOSITION_WRITE_DISABLED);
		pthread_rwlock_unlock(&rd->lock);
		break;
	default:
		break;
	}
	beat(wk);
	if (st != ZX_OK)
		anomaly("pair %d: ending the round (%s): %d", rd->pair,
			end_names[rd->mode], st);
}

static void *writer_main(void *arg)
{
	struct worker *wk = arg;
	struct round *rd = wk->rd;

	slot_name(wk, "writer");
	beat(wk);
	writer_loop(wk, &rd->w, &rd->w_closed, rd->nwriters == 1);
	if (atomic_fetch_sub(&rd->res->writers_left, 1) == 1)
		writers_finished(wk);
	worker_done(wk);
	return NULL;
}

/*
 * In a forked writer, close every endpoint fd inherited from the other
 * pairs' threads: a copy would keep those endpoints alive and delay the
 * peer-closed wakeups their rounds wait for.
 */
static void close_foreign_endpoints(int keep)
{
	char path[32], target[64];
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		ssize_t n;

		if (fd == keep)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, "[zxsocket]"))
			close(fd);
	}
}

/* The forked writer: the only holder of the writing end. */
static void writer_child(struct worker *wk)
{
	struct round *rd = wk->rd;
	bool closed = false;

	close_foreign_endpoints((int)rd->w);

	slot_name(wk, "forked writer");
	beat(wk);
	/* Half the time die in the middle of a record. */
	if (zxs_rand(&wk->rng) & 1) {
		static uint8_t buf[STREAM_MAX];
		uint32_t len = rd->maxrec;

		size_t actual = 0;

		writer_loop(wk, &rd->w, &closed, true);
		rec_build(buf, rd->pair, 0, rd->round, rd->recs_per_writer,
			  len);
		/* What got in counts as bytes; the record does not. */
		if (zx_socket_write(rd->w, 0, buf, len / 2 + 1, &actual) ==
		    ZX_OK)
			atomic_fetch_add(&rd->res->written_bytes[0], actual);
	} else {
		writer_loop(wk, &rd->w, &closed, true);
	}
	worker_done(wk);
	_exit(0);
}

/* -------------------------------------------------------------- reader */

struct parser {
	uint8_t buf[2 * STREAM_MAX + 65536];
	size_t have;
	uint64_t expect[MAX_WRITERS];
};

/* Check one whole record; false if the stream can no longer be parsed. */
static bool check_record(struct round *rd, struct parser *p, const uint8_t *b,
			 size_t avail, size_t *used)
{
	struct rec r;

	if (avail < REC_HDR)
		return false;
	memcpy(&r, b, REC_HDR);
	if (r.magic != REC_MAGIC || r.pair != rd->pair ||
	    r.round != rd->round || r.writer >= rd->nwriters ||
	    r.len < REC_HDR || r.len > rd->maxrec) {
		anomaly("pair %d round %u: bad record header (magic %#x pair %u round %u writer %u len %u) after %llu bytes",
			rd->pair, rd->round, r.magic, r.pair, r.round,
			r.writer, r.len, (unsigned long long)rd->recv_bytes);
		rd->parse_broken = true;
		return false;
	}
	if (avail < r.len)
		return false;
	if (rec_csum((const struct rec *)b) != r.csum) {
		anomaly("pair %d round %u: checksum mismatch in record %llu of writer %u",
			rd->pair, rd->round, (unsigned long long)r.seq,
			r.writer);
		rd->parse_broken = true;
		return false;
	}
	if (r.seq != p->expect[r.writer]) {
		anomaly("pair %d round %u (%s): writer %u record %llu arrived, %llu expected (loss, duplicate or reorder)",
			rd->pair, rd->round, end_names[rd->mode], r.writer,
			(unsigned long long)r.seq,
			(unsigned long long)p->expect[r.writer]);
		rd->parse_broken = true;
		return false;
	}
	p->expect[r.writer]++;
	rd->recv_recs[r.writer]++;
	atomic_fetch_add(&rd->sh->records, 1);
	*used = r.len;
	return true;
}

/*
 * ZXS_STRESS_INJECT=corrupt|drop|dup damages one read on purpose, after
 * the reader has seen some data, to show that the checks catch it (the
 * test must then fail with anomalies).
 */
static const char *inject;
static atomic_int inject_countdown = 200;

static void feed_checked(struct round *rd, struct parser *p,
			 const uint8_t *data, size_t n);

static void feed(struct round *rd, struct parser *p, const uint8_t *data,
		 size_t n)
{
	static uint8_t bad[65536];

	if (!inject || atomic_fetch_sub(&inject_countdown, 1) != 1) {
		feed_checked(rd, p, data, n);
		return;
	}
	if (!strcmp(inject, "corrupt")) {
		memcpy(bad, data, n);
		bad[n / 2] ^= 0x40;
		feed_checked(rd, p, bad, n);
	} else if (!strcmp(inject, "dup")) {
		feed_checked(rd, p, data, n);
		feed_checked(rd, p, data, n);
	} else if (strcmp(inject, "drop")) {
		feed_checked(rd, p, data, n);
	}
}

static void feed_checked(struct round *rd, struct parser *p,
			 const uint8_t *data, size_t n)
{
	size_t used, off = 0;

	if (rd->parse_broken)
		return;
	rd->recv_bytes += n;
	atomic_fetch_add(&rd->sh->bytes, n);
	if (rd->datagram) {
		if (check_record(rd, p, data, n, &used) && used != n) {
			anomaly("pair %d: datagram of %zu bytes holds a record of %zu",
				rd->pair, n, used);
			rd->parse_broken = true;
		} else if (!rd->parse_broken && n < REC_HDR) {
			anomaly("pair %d: short datagram of %zu bytes",
				rd->pair, n);
			rd->parse_broken = true;
		}
		return;
	}
	memcpy(p->buf + p->have, data, n);
	p->have += n;
	while (off < p->have && check_record(rd, p, p->buf + off,
					     p->have - off, &used))
		off += used;
	memmove(p->buf, p->buf + off, p->have - off);
	p->have -= off;
}

/* One read in a random way.  Returns bytes read, 0 at end of data. */
static ssize_t read_some(struct worker *wk, zx_handle_t h, uint8_t *buf,
			 size_t len)
{
	struct round *rd = wk->rd;
	static __thread uint8_t peekbuf[65536];
	size_t actual = 0, pactual = 0;
	zx_status_t st;
	ssize_t n;
	int how = zxs_rand(&wk->rng) % 3;

	for (;;) {
		beat(wk);
		if (how == 0) {
			n = read((int)h, buf, len);
			beat(wk);
			if (n >= 0)
				return n;
			if (errno == EINTR)
				continue;
			anomaly("pair %d: read(2): errno %d", rd->pair, errno);
			return 0;
		}
		if (how == 2) {
			st = zx_socket_read(h, ZX_SOCKET_PEEK, peekbuf, len,
					    &pactual);
			beat(wk);
			if (st == ZX_OK) {
				st = zx_socket_read(h, 0, buf, len, &actual);
				beat(wk);
				if (st != ZX_OK || actual < pactual ||
				    (rd->datagram && actual != pactual) ||
				    memcmp(peekbuf, buf, pactual)) {
					anomaly("pair %d: peek of %zu bytes disagrees with the read that followed (%d, %zu bytes)",
						rd->pair, pactual, st, actual);
					rd->parse_broken = true;
					return 0;
				}
				return actual;
			}
		} else {
			st = zx_socket_read(h, 0, buf, len, &actual);
			beat(wk);
			if (st == ZX_OK)
				return actual;
		}
		if (st == ZX_ERR_PEER_CLOSED || st == ZX_ERR_BAD_STATE)
			return 0;
		if (st != ZX_ERR_SHOULD_WAIT) {
			anomaly("pair %d: zx_socket_read: %d", rd->pair, st);
			return 0;
		}
		if (!wait_any_way(wk, h, ZX_SOCKET_READABLE |
				  ZX_SOCKET_PEER_CLOSED |
				  ZX_SOCKET_PEER_WRITE_DISABLED, "reader"))
			return 0;
	}
}

static void *reader_main(void *arg)
{
	struct worker *wk = arg;
	struct round *rd = wk->rd;
	struct parser *p = calloc(1, sizeof(*p));
	static __thread uint8_t buf[65536];
	uint64_t cut_after = UINT64_MAX;
	bool cut = false;

	slot_name(wk, "reader");
	beat(wk);
	if (rd->mode == END_READER_SHUTDOWN || rd->mode == END_READER_CLOSE)
		cut_after = zxs_rand(&wk->rng) %
			(rd->recs_per_writer * rd->nwriters + 1);
	while (p) {
		size_t len = rd->datagram ? sizeof(buf) :
			1 + zxs_rand(&wk->rng) % (zxs_rand(&wk->rng) & 1 ?
						  64 : sizeof(buf));
		uint64_t recs = rd->recv_recs[0] + rd->recv_recs[1];
		ssize_t n;

		if (!cut && recs >= cut_after) {
			cut = true;
			atomic_store(&rd->readers_cut, true);
			if (rd->mode == END_READER_CLOSE) {
				close_end(rd, 1);
				break;
			}
			pthread_rwlock_rdlock(&rd->lock);
			if (zx_socket_shutdown(rd->r, ZX_SOCKET_SHUTDOWN_READ))
				anomaly("pair %d: shutdown(READ) failed",
					rd->pair);
			pthread_rwlock_unlock(&rd->lock);
		}
		if (zxs_rand(&wk->rng) % 128 == 0)
			swap_end(wk, &rd->r, &rd->r_closed);
		n = read_some(wk, rd->r, buf, len);
		if (n <= 0 || rd->parse_broken)
			break;
		feed(rd, p, buf, n);
		if (rd->parse_broken)
			break;
	}
	/*
	 * A reader that stopped early for an anomaly (already counted) lets
	 * the writers go instead of leaving them blocked for the watchdog.
	 */
	if (rd->parse_broken || !p) {
		atomic_store(&rd->readers_cut, true);
		pthread_rwlock_rdlock(&rd->lock);
		if (!rd->r_closed)
			zx_socket_shutdown(rd->r, ZX_SOCKET_SHUTDOWN_READ);
		pthread_rwlock_unlock(&rd->lock);
		close_end(rd, 1);
	}
	/* A stream may end inside a record only if its writer died there. */
	if (p && p->have && !rd->parse_broken && rd->mode != END_FORK &&
	    rd->mode != END_READER_CLOSE && rd->mode != END_READER_SHUTDOWN)
		anomaly("pair %d round %u (%s): %zu bytes of a partial record at the end",
			rd->pair, rd->round, end_names[rd->mode], p->have);
	free(p);
	atomic_store(&rd->done, true);
	worker_done(wk);
	return NULL;
}

/* ------------------------------------------------------ waiter and chaos */

/*
 * Blocked for the whole round on the end that survives, until the other
 * end closes or shuts down: it must be woken.
 */
static void *waiter_main(void *arg)
{
	struct worker *wk = arg;
	struct round *rd = wk->rd;
	zx_handle_t h = ZX_HANDLE_INVALID;
	zx_signals_t want;
	bool on_writer;

	slot_name(wk, "waiter");
	on_writer = rd->mode == END_READER_CLOSE ||
		rd->mode == END_READER_SHUTDOWN;
	switch (rd->mode) {
	case END_READER_CLOSE:
		want = ZX_SOCKET_PEER_CLOSED;
		break;
	case END_READER_SHUTDOWN:
		want = ZX_SOCKET_WRITE_DISABLED | ZX_SOCKET_PEER_CLOSED;
		break;
	case END_SHUTDOWN:
	case END_DISPOSITION:
		want = ZX_SOCKET_PEER_WRITE_DISABLED;
		break;
	default:
		want = ZX_SOCKET_PEER_CLOSED;
		break;
	}
	/* Its own handle: the round's may be swapped or closed under it. */
	pthread_rwlock_rdlock(&rd->lock);
	if (on_writer ? !rd->w_closed : !rd->r_closed)
		zx_handle_duplicate(on_writer ? rd->w : rd->r,
				    ZX_RIGHT_SAME_RIGHTS, &h);
	pthread_rwlock_unlock(&rd->lock);
	if (h == ZX_HANDLE_INVALID) {
		anomaly("pair %d: waiter could not get a handle", rd->pair);
	} else {
		if (wait_any_way(wk, h, want, "waiter"))
			atomic_fetch_add(&rd->sh->wakeups, 1);
		zx_handle_close(h);
	}
	worker_done(wk);
	return NULL;
}

static void chaos_op(struct worker *wk, zx_handle_t h, zx_handle_t other)
{
	zx_info_socket_t info;
	zx_signals_t observed;
	struct pollfd pfd = { .fd = (int)h, .events = POLLIN | POLLOUT };
	zx_wait_item_t items[2] = {
		{ .handle = h, .waitfor = ZX_USER_SIGNAL_0 },
		{ .handle = other, .waitfor = ZX_USER_SIGNAL_1 },
	};

	switch (zxs_rand(&wk->rng) % 6) {
	case 0:
		zx_object_wait_one(h, ZX_USER_SIGNAL_2,
				   zx_deadline_after(zxs_rand(&wk->rng) % 2000000),
				   &observed);
		break;
	case 1:
		zx_object_wait_many(items, other ? 2 : 1,
				    zx_deadline_after(zxs_rand(&wk->rng) % 1000000));
		break;
	case 2:
		poll(&pfd, 1, 0);
		break;
	case 3:
		zxs_info(h, &info);
		break;
	case 4:
		zx_object_signal(h, 0, ZX_USER_SIGNAL_3);
		zx_object_signal(h, ZX_USER_SIGNAL_3, 0);
		break;
	default:
		zx_object_signal_peer(h, 0, ZX_USER_SIGNAL_4);
		break;
	}
	beat(wk);
}

static void *chaos_main(void *arg)
{
	struct worker *wk = arg;
	struct round *rd = wk->rd;

	slot_name(wk, "chaos");
	while (!atomic_load(&rd->done)) {
		pthread_rwlock_rdlock(&rd->lock);
		if (!rd->w_closed && !rd->r_closed)
			chaos_op(wk, zxs_rand(&wk->rng) & 1 ? rd->w : rd->r,
				 zxs_rand(&wk->rng) & 1 ? rd->r : rd->w);
		else if (!rd->w_closed)
			chaos_op(wk, rd->w, ZX_HANDLE_INVALID);
		else if (!rd->r_closed)
			chaos_op(wk, rd->r, ZX_HANDLE_INVALID);
		pthread_rwlock_unlock(&rd->lock);
		zxs_sleep_ns(zxs_rand(&wk->rng) % 500000);
	}
	worker_done(wk);
	return NULL;
}

/* ------------------------------------------------------------- driver */

static void check_round(struct round *rd)
{
	struct round_result *res = rd->res;
	bool lossy = rd->mode == END_READER_CLOSE;
	uint64_t wbytes = 0;
	int i;

	if (rd->parse_broken)
		return;		/* already counted */
	for (i = 0; i < rd->nwriters; i++) {
		uint64_t wrecs = atomic_load(&res->written_recs[i]);

		wbytes += atomic_load(&res->written_bytes[i]);
		if (lossy ? rd->recv_recs[i] > wrecs :
			    rd->recv_recs[i] != wrecs)
			anomaly("pair %d round %u (%s %s): writer %d had %llu records accepted, the reader got %llu",
				rd->pair, rd->round,
				rd->datagram ? "dgram" : "stream",
				end_names[rd->mode], i,
				(unsigned long long)wrecs,
				(unsigned long long)rd->recv_recs[i]);
	}
	if (lossy ? rd->recv_bytes > wbytes : rd->recv_bytes != wbytes)
		anomaly("pair %d round %u (%s): %llu bytes accepted, %llu received",
			rd->pair, rd->round, end_names[rd->mode],
			(unsigned long long)wbytes,
			(unsigned long long)rd->recv_bytes);
}

static void run_round(int pair, uint32_t round, uint64_t *rng)
{
	struct slot *slots = &sh->slots[pair * SLOTS_PER_PAIR];
	struct round rd = {
		.sh = sh,
		.res = &sh->res[pair],
		.pair = pair,
		.round = round,
		.datagram = pair & 1,
	};
	struct worker wk[5];
	pthread_t th[5];
	int nth = 0, i;
	zx_handle_t h[2];
	pid_t child = -1;
	zx_status_t st;

	rd.mode = zxs_rand(rng) % END_MODES;
	if (rd.datagram && rd.mode == END_FORK)
		rd.mode = END_CLOSE;
	rd.nwriters = rd.datagram ? MAX_WRITERS : 1;
	rd.maxrec = rd.datagram ? DGRAM_MAX : STREAM_MAX;
	rd.recs_per_writer = 16 + zxs_rand(rng) % 300;
	rd.rng = zxs_mix64(*rng);
	pthread_rwlock_init(&rd.lock, NULL);
	memset(rd.res, 0, sizeof(*rd.res));
	atomic_store(&rd.res->writers_left, rd.nwriters);

	st = zx_socket_create(rd.datagram ? ZX_SOCKET_DATAGRAM : 0,
			      &h[0], &h[1]);
	if (st != ZX_OK) {
		anomaly("pair %d: zx_socket_create: %d", pair, st);
		zxs_sleep_ns(ZXS_SETTLE_NS);
		return;
	}
	i = zxs_rand(rng) & 1;
	rd.w = h[i];
	rd.r = h[!i];

	for (i = 0; i < 5; i++) {
		wk[i] = (struct worker){ .rd = &rd, .slot = &slots[i + 1],
					 .rng = zxs_mix64(*rng + i + 1) };
	}
	if (rd.mode == END_FORK) {
		child = fork();
		if (child == 0) {
			zx_handle_close(rd.r);
			writer_child(&wk[0]);
		}
		if (child < 0) {
			anomaly("pair %d: fork: errno %d", pair, errno);
			child = -1;
		}
		/* The child holds the only handle to the writing end. */
		close_end(&rd, 0);
		if (child < 0)
			atomic_store(&rd.readers_cut, true);
	} else {
		for (i = 0; i < rd.nwriters; i++) {
			wk[i].id = i;
			pthread_create(&th[nth++], NULL, writer_main, &wk[i]);
		}
	}
	pthread_create(&th[nth++], NULL, reader_main, &wk[2]);
	pthread_create(&th[nth++], NULL, waiter_main, &wk[3]);
	pthread_create(&th[nth++], NULL, chaos_main, &wk[4]);

	for (i = 0; i < nth; i++) {
		/* The waiter of a fork round waits for the child's exit. */
		pthread_join(th[i], NULL);
	}
	if (child > 0) {
		int status = 0;

		waitpid(child, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			anomaly("pair %d: forked writer ended with status %#x",
				pair, status);
	}
	check_round(&rd);
	close_end(&rd, 0);
	close_end(&rd, 1);
	pthread_rwlock_destroy(&rd.lock);
	atomic_fetch_add(&sh->rounds, 1);
	atomic_fetch_add(&sh->by_mode[rd.mode], 1);
	atomic_store(&slots[0].beat, zxs_now_ns());
}

static void *driver_main(void *arg)
{
	int pair = (int)(intptr_t)arg;
	uint64_t rng = zxs_mix64(0x5eed0000 + pair);
	uint32_t round = 0;
	struct slot *s = &sh->slots[pair * SLOTS_PER_PAIR];

	snprintf(s->what, sizeof(s->what), "pair %d driver", pair);
	while (zxs_now_ns() < stress_end_ns) {
		atomic_store(&s->beat, zxs_now_ns());
		run_round(pair, round++, &rng);
	}
	atomic_store(&s->beat, 0);
	return NULL;
}

static long env_long(const char *name, long def, long min, long max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return def;
	return v;
}

/* Seconds of stress; the harness's timeout adds room for the watchdog. */
static long stress_seconds(void)
{
	return env_long("ZXS_STRESS_SECONDS", 5, 1, 7 * 24 * 3600);
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
	zx_handle_t a, b;

	if (zx_socket_create(0, &a, &b) != ZX_OK)
		SKIP(return, "zxsocket module not loaded");
	zx_handle_close(a);
	zx_handle_close(b);
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, integrity, stress_seconds() + 600)
{
	long seconds = stress_seconds();
	int npairs = (int)env_long("ZXS_STRESS_PAIRS", 8, 2, MAX_PAIRS);
	int64_t wedge_ns = env_long("ZXS_STRESS_WEDGE_SECONDS", 180, 5, 3600) *
		ZXS_NSEC_PER_SEC;
	pthread_t drivers[MAX_PAIRS];
	int64_t start, last_print;
	bool wedged = false;
	int i, m;

	signal(SIGPIPE, SIG_IGN);
	inject = getenv("ZXS_STRESS_INJECT");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
	start = zxs_now_ns();
	last_print = start;
	stress_end_ns = start + seconds * ZXS_NSEC_PER_SEC;
	TH_LOG("%d pairs for %ld s", npairs, seconds);

	for (i = 0; i < npairs; i++)
		ASSERT_EQ(0, pthread_create(&drivers[i], NULL, driver_main,
					    (void *)(intptr_t)i));

	/* Watchdog: every busy slot must have made progress recently. */
	for (;;) {
		int64_t now = zxs_now_ns();
		bool busy = false;

		zxs_sleep_ns(200 * ZXS_NSEC_PER_MSEC);
		for (i = 0; i < npairs * SLOTS_PER_PAIR; i++) {
			int64_t b = atomic_load(&sh->slots[i].beat);

			if (!b)
				continue;
			busy = true;
			if (now - b > wedge_ns) {
				anomaly("wedged for %lld s: %s",
					(long long)((now - b) / ZXS_NSEC_PER_SEC),
					sh->slots[i].what);
				wedged = true;
			}
		}
		if (wedged || (!busy && now >= stress_end_ns))
			break;
		if (now - last_print >= 60 * ZXS_NSEC_PER_SEC) {
			last_print = now;
			ksft_print_msg("stress: %lld s: %llu ops, %llu rounds, %llu anomalies\n",
				       (long long)((now - start) / ZXS_NSEC_PER_SEC),
				       atomic_load(&sh->ops),
				       atomic_load(&sh->rounds),
				       atomic_load(&sh->anomalies));
		}
	}
	if (!wedged) {
		for (i = 0; i < npairs; i++)
			pthread_join(drivers[i], NULL);
	}

	ksft_print_msg("stress: %ld s, %d pairs: %llu ops, %llu rounds, %llu records, %llu bytes, %llu woken waiters, %llu anomalies\n",
		       seconds, npairs, atomic_load(&sh->ops),
		       atomic_load(&sh->rounds), atomic_load(&sh->records),
		       atomic_load(&sh->bytes), atomic_load(&sh->wakeups),
		       atomic_load(&sh->anomalies));
	for (m = 0; m < END_MODES; m++)
		ksft_print_msg("stress: rounds ending by %s: %llu\n",
			       end_names[m], atomic_load(&sh->by_mode[m]));
	for (i = 0; i < atomic_load(&sh->nmsgs) && i < MAX_MSGS; i++)
		ksft_print_msg("stress: anomaly: %s\n", sh->msgs[i]);
	EXPECT_EQ(0, atomic_load(&sh->anomalies));
	EXPECT_LT(0, atomic_load(&sh->rounds));
	EXPECT_FALSE(wedged);
	if (wedged) {
		/* Threads are stuck in the kernel: end the process now. */
		fflush(stdout);
		_exit(KSFT_FAIL);
	}
}

/* ---------------------------------------------- wakeups of blocked calls */

/*
 * A write(2) blocked on a full queue must return when the call can no
 * longer wait for room: the peer died, or either side disabled the
 * writing.  Some of these transitions assert no new signal on the
 * writer's end (its peer's Magenta half-close already set PEER_CLOSED;
 * its own half-close only clears WRITABLE), which is why the module
 * wakes blocked writers on them directly.
 */
enum blocked_event {
	EV_PEER_CLOSE,			/* plain death of the peer */
	EV_PEER_HALF_CLOSE_THEN_CLOSE,	/* Magenta half-close, then death */
	EV_OWN_HALF_CLOSE,		/* the writer's own end half-closes */
	EV_PEER_SHUTDOWN_READ,		/* peer: zx_socket_shutdown(READ) */
	EV_OWN_SHUTDOWN_WRITE,		/* own: zx_socket_shutdown(WRITE) */
	EV_PEER_DISPOSITION_THEN_CLOSE,	/* peer disables its own writes, dies */
};

struct blocked_writer {
	int fd;
	ssize_t ret;
	int err;
	atomic_int state;		/* 0 new, 1 writing, 2 returned */
	pid_t tid;
	pthread_t thread;
};

static void *blocked_writer_main(void *arg)
{
	struct blocked_writer *bw = arg;
	static uint8_t buf[512];

	bw->tid = zxs_gettid();
	atomic_store(&bw->state, 1);
	bw->ret = write(bw->fd, buf, sizeof(buf));
	bw->err = errno;
	atomic_store(&bw->state, 2);
	return NULL;
}

static void on_sigusr1(int sig)
{
}

static int magenta_half_close(zx_handle_t h)
{
	struct zxs_io io = { .options = ZXS_HALF_CLOSE };

	return ioctl((int)h, ZXS_IOC_WRITE, &io);
}

FIXTURE(blocked) {
	zx_handle_t a, b;
};

FIXTURE_VARIANT(blocked) {
	uint32_t options;
};

FIXTURE_VARIANT_ADD(blocked, stream) {
	.options = 0,
};

FIXTURE_VARIANT_ADD(blocked, datagram) {
	.options = ZX_SOCKET_DATAGRAM,
};

FIXTURE_SETUP(blocked)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };

	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGUSR1, &sa, NULL);
	if (zx_socket_create(variant->options, &self->a, &self->b) != ZX_OK)
		SKIP(return, "zxsocket module not loaded");
	ASSERT_EQ(ZX_OK, zxs_fill(self->a, NULL));
}

FIXTURE_TEARDOWN(blocked)
{
	if (self->a)
		zx_handle_close(self->a);
	if (self->b)
		zx_handle_close(self->b);
}

/* Block a write(2) on @self->a, cause @ev, and expect EPIPE promptly. */
static void check_blocked_writer_wakes(struct __test_metadata *_metadata,
				       FIXTURE_DATA(blocked) *self,
				       enum blocked_event ev)
{
	struct blocked_writer bw = { .fd = (int)self->a };
	int64_t end;
	bool woken;

	ASSERT_EQ(0, pthread_create(&bw.thread, NULL, blocked_writer_main,
				    &bw));
	while (atomic_load(&bw.state) == 0)
		sched_yield();
	ASSERT_TRUE(zxs_wait_thread_asleep(bw.tid, ZXS_LONG_NS));
	ASSERT_EQ(1, atomic_load(&bw.state));

	switch (ev) {
	case EV_PEER_CLOSE:
		zx_handle_close(self->b);
		self->b = 0;
		break;
	case EV_PEER_HALF_CLOSE_THEN_CLOSE:
		ASSERT_EQ(0, magenta_half_close(self->b));
		zxs_sleep_ns(ZXS_SETTLE_NS);
		zx_handle_close(self->b);
		self->b = 0;
		break;
	case EV_OWN_HALF_CLOSE:
		ASSERT_EQ(0, magenta_half_close(self->a));
		break;
	case EV_PEER_SHUTDOWN_READ:
		ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->b,
						    ZX_SOCKET_SHUTDOWN_READ));
		break;
	case EV_OWN_SHUTDOWN_WRITE:
		ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->a,
						    ZX_SOCKET_SHUTDOWN_WRITE));
		break;
	case EV_PEER_DISPOSITION_THEN_CLOSE:
		ASSERT_EQ(ZX_OK, zx_socket_set_disposition(self->b,
				ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
		zxs_sleep_ns(ZXS_SETTLE_NS);
		zx_handle_close(self->b);
		self->b = 0;
		break;
	}

	end = zxs_now_ns() + ZXS_LONG_NS;
	while (atomic_load(&bw.state) != 2 && zxs_now_ns() < end)
		zxs_sleep_ns(ZXS_NSEC_PER_MSEC);
	woken = atomic_load(&bw.state) == 2;
	/* Still asleep: interrupt it (no SA_RESTART) so the test can end. */
	while (atomic_load(&bw.state) != 2) {
		pthread_kill(bw.thread, SIGUSR1);
		zxs_sleep_ns(ZXS_NSEC_PER_MSEC);
	}
	pthread_join(bw.thread, NULL);
	ASSERT_TRUE(woken) {
		TH_LOG("write(2) still blocked %lld s after the event",
		       ZXS_LONG_NS / ZXS_NSEC_PER_SEC);
	}
	EXPECT_EQ(-1, bw.ret);
	EXPECT_EQ(EPIPE, bw.err);
}

TEST_F(blocked, write_wakes_on_peer_close)
{
	check_blocked_writer_wakes(_metadata, self, EV_PEER_CLOSE);
}

/* Regression: the peer's PEER_CLOSED was already set, nobody woke. */
TEST_F(blocked, write_wakes_on_peer_close_after_half_close)
{
	check_blocked_writer_wakes(_metadata, self,
				   EV_PEER_HALF_CLOSE_THEN_CLOSE);
}

/* Regression: the writer's own half-close only cleared WRITABLE. */
TEST_F(blocked, write_wakes_on_own_half_close)
{
	check_blocked_writer_wakes(_metadata, self, EV_OWN_HALF_CLOSE);
}

TEST_F(blocked, write_wakes_on_peer_shutdown_read)
{
	check_blocked_writer_wakes(_metadata, self, EV_PEER_SHUTDOWN_READ);
}

TEST_F(blocked, write_wakes_on_own_shutdown_write)
{
	check_blocked_writer_wakes(_metadata, self, EV_OWN_SHUTDOWN_WRITE);
}

TEST_F(blocked, write_wakes_on_peer_close_after_disposition)
{
	check_blocked_writer_wakes(_metadata, self,
				   EV_PEER_DISPOSITION_THEN_CLOSE);
}

/*
 * Waiters on signals: wait_one and poll blocked on the full writer's end
 * for the ways a write could end must wake when the peer shuts its read
 * side down (WRITE_DISABLED) and when it dies after a Magenta half-close
 * (no new signal, and none awaited: they must still be asleep, and return
 * at once when asked again, since PEER_CLOSED is asserted).
 */
TEST_F(blocked, wait_one_and_poll_wake_on_peer_shutdown_read)
{
	struct zxs_waiter w = {
		.handle = self->a,
		.signals = ZX_SOCKET_WRITABLE | ZX_SOCKET_WRITE_DISABLED,
		.deadline = zx_deadline_after(ZXS_LONG_NS),
	};
	struct pollfd pfd = { .fd = (int)self->a, .events = POLLOUT };

	ASSERT_EQ(0, zxs_waiter_start(&w));
	ASSERT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->b, ZX_SOCKET_SHUTDOWN_READ));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_TRUE(w.observed & ZX_SOCKET_WRITE_DISABLED);
	EXPECT_LT(w.returned_at, zxs_now_ns());
	EXPECT_EQ(1, poll(&pfd, 1, (int)(ZXS_LONG_NS / ZXS_NSEC_PER_MSEC)));
	EXPECT_TRUE(pfd.revents & POLLERR);
}

TEST_F(blocked, wait_one_after_half_close_then_close)
{
	zx_signals_t observed = 0;
	struct zxs_waiter w = {
		.handle = self->a,
		.signals = ZX_SOCKET_WRITABLE,
		.deadline = zx_deadline_after(4 * ZXS_SETTLE_NS),
	};

	ASSERT_EQ(0, zxs_waiter_start(&w));
	ASSERT_EQ(0, magenta_half_close(self->b));
	zx_handle_close(self->b);
	self->b = 0;
	/* Nothing it waits for becomes true: it times out... */
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_ERR_TIMED_OUT, w.status);
	EXPECT_FALSE(w.observed & ZX_SOCKET_WRITABLE);
	/* ...and a wait for PEER_CLOSED is satisfied at once. */
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->a, ZX_SOCKET_PEER_CLOSED,
					    0, &observed));
	EXPECT_TRUE(observed & ZX_SOCKET_PEER_CLOSED);
}

TEST_HARNESS_MAIN
