// SPDX-License-Identifier: GPL-2.0
/*
 * concurrency_test: several threads and processes on one socket.
 *
 *  - data integrity with concurrent writers and readers: every byte (or
 *    datagram) arrives exactly once, intact, and in each writer's order;
 *  - waiters asleep in wait_one/wait_many are woken when the peer dies;
 *  - an endpoint shared through fork() and through SCM_RIGHTS works in
 *    the other process and keeps the rights it had;
 *  - a wait interrupted by signal handlers still returns the right result
 *    at the right time (the library retries with the same deadline).
 *
 * Helper threads and child processes never use the harness macros: they
 * record what went wrong, and the test thread checks it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/time.h>

/*
 * The 6.12 harness's TEST_F() wrapper keeps a local across setjmp(), which
 * -Wextra's -Wclobbered flags depending on inlining.
 */
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"
#include "zxs_test_util.h"

#define W	ZX_SOCKET_WRITABLE
#define R	ZX_SOCKET_READABLE
#define PC	ZX_SOCKET_PEER_CLOSED

/* What a helper thread found wrong; empty if nothing. */
struct failure {
	char msg[256];
};

static void fail(struct failure *f, const char *fmt, ...)
{
	va_list ap;

	if (f->msg[0])
		return;		/* keep the first one */
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	if (!f->msg[0])
		f->msg[0] = '?';
}

/*
 * Block until @h has any of @signals, or fail.  The deadline is only
 * reached if the socket never becomes ready, i.e. when the test fails.
 */
static bool wait_for(struct failure *f, zx_handle_t h, zx_signals_t signals,
		     zx_signals_t *observed, const char *who)
{
	zx_status_t st = zx_object_wait_one(h, signals,
					    zx_deadline_after(ZXS_LONG_NS),
					    observed);

	if (st != ZX_OK) {
		fail(f, "%s: wait_one: %s", who, zx_status_get_string(st));
		return false;
	}
	return true;
}

FIXTURE(conc)
{
	zx_handle_t h[2];
};

FIXTURE_SETUP(conc)
{
	self->h[0] = self->h[1] = ZX_HANDLE_INVALID;
}

FIXTURE_TEARDOWN(conc)
{
	zxs_close(&self->h[0]);
	zxs_close(&self->h[1]);
}

/* ====================================================== stream data */

/*
 * Stream writers.  With one writer, byte k of the stream is pattern byte
 * k of its seed.  With two, writer w sends bytes whose top bit is w and
 * whose low 7 bits are its pattern, so the reader can tell the writers'
 * bytes apart however their writes interleave, and check each writer's
 * sequence separately.
 */
#define STREAM_CHUNK	65536

struct stream_writer {
	zx_handle_t h;
	int id;
	int nwriters;
	size_t total;
	struct failure f;
	pthread_t thread;
};

static uint8_t stream_byte(int id, int nwriters, uint64_t k)
{
	uint8_t b = zxs_pattern_byte(100 + id, k);

	return nwriters == 1 ? b : (uint8_t)((b & 0x7f) | (id << 7));
}

static void *stream_writer_main(void *arg)
{
	struct stream_writer *sw = arg;
	uint64_t rng = 1000 + sw->id;
	uint8_t *buf = malloc(STREAM_CHUNK);
	size_t done = 0;

	if (!buf) {
		fail(&sw->f, "writer %d: no memory", sw->id);
		return NULL;
	}
	while (done < sw->total && !sw->f.msg[0]) {
		size_t n = 1 + zxs_rand(&rng) % STREAM_CHUNK, off = 0, i;

		if (n > sw->total - done)
			n = sw->total - done;
		for (i = 0; i < n; i++)
			buf[i] = stream_byte(sw->id, sw->nwriters, done + i);
		while (off < n) {
			size_t actual = 0;
			zx_status_t st = zx_socket_write(sw->h, 0, buf + off,
							 n - off, &actual);
			zx_signals_t observed;

			if (st == ZX_OK) {
				if (!actual || actual > n - off) {
					fail(&sw->f, "writer %d: actual %zu of %zu",
					     sw->id, actual, n - off);
					break;
				}
				off += actual;
				continue;
			}
			if (st != ZX_ERR_SHOULD_WAIT) {
				fail(&sw->f, "writer %d: write: %s", sw->id,
				     zx_status_get_string(st));
				break;
			}
			if (!wait_for(&sw->f, sw->h, W | PC, &observed,
				      "writer"))
				break;
			if (observed & PC) {
				fail(&sw->f, "writer %d: peer closed", sw->id);
				break;
			}
		}
		done += n;
	}
	free(buf);
	return NULL;
}

struct stream_reader {
	zx_handle_t h;
	int nwriters;
	uint64_t got[2];	/* bytes received from each writer */
	struct failure f;
	pthread_t thread;
};

/* Reads until the writers' end is closed, checking every byte. */
static void *stream_reader_main(void *arg)
{
	struct stream_reader *sr = arg;
	uint8_t *buf = malloc(STREAM_CHUNK);
	uint64_t rng = 77;

	if (!buf) {
		fail(&sr->f, "reader: no memory");
		return NULL;
	}
	while (!sr->f.msg[0]) {
		size_t want = 1 + zxs_rand(&rng) % STREAM_CHUNK, actual = 0, i;
		zx_status_t st = zx_socket_read(sr->h, 0, buf, want, &actual);
		zx_signals_t observed;

		if (st == ZX_ERR_PEER_CLOSED)
			break;
		if (st == ZX_ERR_SHOULD_WAIT) {
			wait_for(&sr->f, sr->h, R | PC, &observed, "reader");
			continue;
		}
		if (st != ZX_OK) {
			fail(&sr->f, "reader: read: %s", zx_status_get_string(st));
			break;
		}
		if (!actual || actual > want) {
			fail(&sr->f, "reader: actual %zu of %zu", actual, want);
			break;
		}
		for (i = 0; i < actual; i++) {
			int w = sr->nwriters == 1 ? 0 : buf[i] >> 7;
			uint64_t k = sr->got[w]++;

			if (buf[i] != stream_byte(w, sr->nwriters, k)) {
				fail(&sr->f,
				     "writer %d's byte %llu is %#x, not %#x", w,
				     (unsigned long long)k, buf[i],
				     stream_byte(w, sr->nwriters, k));
				break;
			}
		}
	}
	free(buf);
	return NULL;
}

static void run_stream(struct __test_metadata *_metadata,
		       FIXTURE_DATA(conc) *self, int nwriters, size_t each)
{
	struct stream_writer sw[2];
	struct stream_reader sr = { .nwriters = nwriters };
	int i;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_STREAM, &self->h[0],
					  &self->h[1]));
	sr.h = self->h[1];
	ASSERT_EQ(0, pthread_create(&sr.thread, NULL, stream_reader_main, &sr));
	for (i = 0; i < nwriters; i++) {
		sw[i] = (struct stream_writer){ .h = self->h[0], .id = i,
						.nwriters = nwriters,
						.total = each };
		ASSERT_EQ(0, pthread_create(&sw[i].thread, NULL,
					    stream_writer_main, &sw[i]));
	}
	for (i = 0; i < nwriters; i++) {
		pthread_join(sw[i].thread, NULL);
		EXPECT_STREQ("", sw[i].f.msg);
	}
	/* The reader reads until PEER_CLOSED: nothing may be left over. */
	zxs_close(&self->h[0]);
	pthread_join(sr.thread, NULL);
	EXPECT_STREQ("", sr.f.msg);
	for (i = 0; i < nwriters; i++) {
		EXPECT_EQ(each, sr.got[i]) TH_LOG("writer %d", i);
	}
}

TEST_F_TIMEOUT(conc, stream_one_writer_every_byte_once_in_order, 120)
{
	run_stream(_metadata, self, 1, 4 << 20);
}

TEST_F_TIMEOUT(conc, stream_two_writers_each_in_order, 120)
{
	run_stream(_metadata, self, 2, 1 << 20);
}

/* ==================================================== datagram data */

#define DG_WRITERS	4
#define DG_PER_WRITER	800
#define DG_MAX		2048

struct dg_header {
	uint32_t writer;
	uint32_t seq;
	uint32_t len;
	uint32_t magic;
};

#define DG_MAGIC	0x7a78736bu

/* Shared by the readers: which datagrams arrived. */
struct dg_seen {
	atomic_uchar seen[DG_WRITERS][DG_PER_WRITER];
	atomic_int count;
};

struct dg_writer {
	zx_handle_t h;
	int id;
	struct failure f;
	pthread_t thread;
};

static uint64_t dg_seed(uint32_t writer, uint32_t seq)
{
	return 1 + writer * 100000ull + seq;
}

static void *dg_writer_main(void *arg)
{
	struct dg_writer *dw = arg;
	uint64_t rng = 500 + dw->id;
	uint8_t buf[DG_MAX];
	uint32_t seq;

	for (seq = 0; seq < DG_PER_WRITER && !dw->f.msg[0]; seq++) {
		size_t len = sizeof(struct dg_header) +
			     zxs_rand(&rng) % (DG_MAX - sizeof(struct dg_header) + 1);
		struct dg_header hdr = { dw->id, seq, len, DG_MAGIC };

		memcpy(buf, &hdr, sizeof(hdr));
		zxs_pattern_fill(buf + sizeof(hdr), len - sizeof(hdr),
				 dg_seed(dw->id, seq), 0);
		for (;;) {
			size_t actual = 0;
			zx_status_t st = zx_socket_write(dw->h, 0, buf, len,
							 &actual);
			zx_signals_t observed;

			if (st == ZX_OK) {
				if (actual != len)
					fail(&dw->f, "writer %d: datagram of %zu, actual %zu",
					     dw->id, len, actual);
				break;
			}
			if (st != ZX_ERR_SHOULD_WAIT) {
				fail(&dw->f, "writer %d: write: %s", dw->id,
				     zx_status_get_string(st));
				break;
			}
			/*
			 * Not enough room.  WRITABLE may be set anyway (the
			 * queue is not full), so wait for WRITE_THRESHOLD,
			 * which says that a datagram of any size fits.
			 */
			if (!wait_for(&dw->f, dw->h,
				      ZX_SOCKET_WRITE_THRESHOLD | PC, &observed,
				      "writer"))
				break;
			if (observed & PC) {
				fail(&dw->f, "writer %d: peer closed", dw->id);
				break;
			}
		}
	}
	return NULL;
}

struct dg_reader {
	zx_handle_t h;
	struct dg_seen *seen;
	bool only_reader;	/* then per-writer order must be exact */
	int got;
	struct failure f;
	pthread_t thread;
};

static void *dg_reader_main(void *arg)
{
	struct dg_reader *dr = arg;
	int64_t last[DG_WRITERS];
	uint8_t buf[DG_MAX + 64];
	int i;

	for (i = 0; i < DG_WRITERS; i++)
		last[i] = -1;
	while (!dr->f.msg[0]) {
		size_t actual = 0;
		zx_status_t st = zx_socket_read(dr->h, 0, buf, sizeof(buf),
						&actual);
		struct dg_header hdr;
		zx_signals_t observed;
		ssize_t bad;

		if (st == ZX_ERR_PEER_CLOSED)
			break;
		if (st == ZX_ERR_SHOULD_WAIT) {
			wait_for(&dr->f, dr->h, R | PC, &observed, "reader");
			continue;
		}
		if (st != ZX_OK) {
			fail(&dr->f, "reader: read: %s", zx_status_get_string(st));
			break;
		}
		if (actual < sizeof(hdr)) {
			fail(&dr->f, "reader: datagram of %zu bytes", actual);
			break;
		}
		memcpy(&hdr, buf, sizeof(hdr));
		if (hdr.magic != DG_MAGIC || hdr.writer >= DG_WRITERS ||
		    hdr.seq >= DG_PER_WRITER || hdr.len != actual) {
			fail(&dr->f, "reader: bad datagram (writer %u seq %u len %u, read %zu)",
			     hdr.writer, hdr.seq, hdr.len, actual);
			break;
		}
		bad = zxs_pattern_check(buf + sizeof(hdr), actual - sizeof(hdr),
					dg_seed(hdr.writer, hdr.seq), 0);
		if (bad >= 0) {
			fail(&dr->f, "reader: writer %u seq %u corrupt at %zd",
			     hdr.writer, hdr.seq, bad);
			break;
		}
		/*
		 * The queue is FIFO and each writer sends in order, so even
		 * with other readers taking some, this reader sees each
		 * writer's datagrams in increasing order; the only reader sees
		 * every one of them.
		 */
		if ((int64_t)hdr.seq <= last[hdr.writer] ||
		    (dr->only_reader && hdr.seq != last[hdr.writer] + 1)) {
			fail(&dr->f, "reader: writer %u seq %u after %lld",
			     hdr.writer, hdr.seq,
			     (long long)last[hdr.writer]);
			break;
		}
		last[hdr.writer] = hdr.seq;
		if (atomic_exchange(&dr->seen->seen[hdr.writer][hdr.seq], 1)) {
			fail(&dr->f, "reader: writer %u seq %u twice",
			     hdr.writer, hdr.seq);
			break;
		}
		atomic_fetch_add(&dr->seen->count, 1);
		dr->got++;
	}
	return NULL;
}

static void run_datagrams(struct __test_metadata *_metadata,
			  FIXTURE_DATA(conc) *self, int nreaders)
{
	struct dg_writer dw[DG_WRITERS];
	struct dg_reader dr[4];
	struct dg_seen *seen = calloc(1, sizeof(*seen));
	size_t threshold = DG_MAX;
	int i, j, total = 0;

	ASSERT_NE(NULL, seen);
	ASSERT_GE(4, nreaders);
	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM, &self->h[0],
					  &self->h[1]));
	ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[0],
						ZX_PROP_SOCKET_TX_THRESHOLD,
						&threshold, sizeof(threshold)));
	for (i = 0; i < nreaders; i++) {
		dr[i] = (struct dg_reader){ .h = self->h[1], .seen = seen,
					    .only_reader = nreaders == 1 };
		ASSERT_EQ(0, pthread_create(&dr[i].thread, NULL,
					    dg_reader_main, &dr[i]));
	}
	for (i = 0; i < DG_WRITERS; i++) {
		dw[i] = (struct dg_writer){ .h = self->h[0], .id = i };
		ASSERT_EQ(0, pthread_create(&dw[i].thread, NULL,
					    dg_writer_main, &dw[i]));
	}
	for (i = 0; i < DG_WRITERS; i++) {
		pthread_join(dw[i].thread, NULL);
		EXPECT_STREQ("", dw[i].f.msg);
	}
	zxs_close(&self->h[0]);
	for (i = 0; i < nreaders; i++) {
		pthread_join(dr[i].thread, NULL);
		EXPECT_STREQ("", dr[i].f.msg);
		total += dr[i].got;
	}
	EXPECT_EQ(DG_WRITERS * DG_PER_WRITER, total);
	EXPECT_EQ(DG_WRITERS * DG_PER_WRITER, atomic_load(&seen->count));
	for (i = 0; i < DG_WRITERS; i++) {
		for (j = 0; j < DG_PER_WRITER; j++) {
			if (!atomic_load(&seen->seen[i][j])) {
				EXPECT_TRUE(false)
					TH_LOG("writer %d seq %d lost", i, j);
				break;
			}
		}
	}
	free(seen);
}

TEST_F_TIMEOUT(conc, datagrams_from_four_writers_intact_and_in_order, 120)
{
	run_datagrams(_metadata, self, 1);
}

TEST_F_TIMEOUT(conc, datagrams_to_three_readers_each_exactly_once, 120)
{
	run_datagrams(_metadata, self, 3);
}

/* ================================================ waking on peer death */

TEST_F(conc, sleeping_wait_one_waiters_woken_by_peer_death)
{
	struct zxs_waiter w[3];
	int i;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	for (i = 0; i < 3; i++) {
		/* One waits for PEER_CLOSED alone, the others among more. */
		w[i] = (struct zxs_waiter){
			.handle = self->h[0],
			.signals = i ? PC : PC | R | ZX_USER_SIGNAL_0,
			.deadline = zx_deadline_after(ZXS_LONG_NS),
		};
		ASSERT_EQ(0, zxs_waiter_start(&w[i]));
	}
	for (i = 0; i < 3; i++) {
		EXPECT_FALSE(zxs_waiter_returned(&w[i]));
	}
	zxs_close(&self->h[1]);
	for (i = 0; i < 3; i++) {
		zxs_waiter_join(&w[i]);
		EXPECT_EQ(ZX_OK, w[i].status) TH_LOG("waiter %d", i);
		/* The peer's death also took WRITABLE away. */
		EXPECT_EQ(PC, w[i].observed) TH_LOG("waiter %d", i);
		EXPECT_GT(w[i].deadline, w[i].returned_at);
	}
}

TEST_F(conc, sleeping_wait_many_waiter_woken_by_close)
{
	zx_handle_t other[2][2];
	zx_wait_item_t items[3];
	struct zxs_waiter w = { .items = items, .count = 3 };
	int i;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM,
						  &other[i][0], &other[i][1]));
	}
	items[0] = (zx_wait_item_t){ .handle = other[0][0], .waitfor = PC };
	items[1] = (zx_wait_item_t){ .handle = self->h[0], .waitfor = PC };
	items[2] = (zx_wait_item_t){ .handle = other[1][0], .waitfor = PC };
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	zxs_close(&self->h[1]);
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_GT(w.deadline, w.returned_at);
	EXPECT_EQ(W, items[0].pending);
	EXPECT_EQ(PC, items[1].pending);
	EXPECT_EQ(W, items[2].pending);
	for (i = 0; i < 2; i++) {
		zx_handle_close(other[i][0]);
		zx_handle_close(other[i][1]);
	}
}

/* ============================================== sharing with processes */

/* Exit codes of the child processes below: 0 is success. */
enum child_result {
	CHILD_OK,
	CHILD_BAD_RIGHTS,
	CHILD_NOT_DENIED,
	CHILD_WRITE_FAILED,
	CHILD_RECV_FAILED,
	CHILD_BAD_KOID,
};

/* Write @total pattern bytes with blocking waits; 0 or a child_result. */
static int child_write_pattern(zx_handle_t h, uint64_t seed, size_t total)
{
	static uint8_t buf[16384];
	size_t done = 0;

	while (done < total) {
		size_t n = total - done < sizeof(buf) ? total - done
						      : sizeof(buf);
		size_t actual = 0;
		zx_status_t st;

		zxs_pattern_fill(buf, n, seed, done);
		st = zx_socket_write(h, 0, buf, n, &actual);
		if (st == ZX_ERR_SHOULD_WAIT) {
			st = zx_object_wait_one(h, W | PC,
						zx_deadline_after(ZXS_LONG_NS),
						NULL);
			if (st != ZX_OK)
				return CHILD_WRITE_FAILED;
			continue;
		}
		if (st != ZX_OK || !actual)
			return CHILD_WRITE_FAILED;
		done += actual;
	}
	return CHILD_OK;
}

/* Read exactly @total bytes and check them against the pattern. */
static void read_pattern(struct __test_metadata *_metadata, zx_handle_t h,
			 uint64_t seed, size_t total)
{
	static uint8_t buf[65536];
	size_t done = 0;

	while (done < total) {
		size_t actual = 0;
		zx_status_t st = zx_socket_read(h, 0, buf, sizeof(buf), &actual);

		if (st == ZX_ERR_SHOULD_WAIT) {
			ASSERT_EQ(ZX_OK, zx_object_wait_one(
					h, R | PC, zx_deadline_after(ZXS_LONG_NS),
					NULL));
			continue;
		}
		ASSERT_EQ(ZX_OK, st) TH_LOG("after %zu of %zu bytes", done,
					    total);
		ASSERT_GE(total - done, actual);
		ASSERT_EQ(-1, zxs_pattern_check(buf, actual, seed, done))
			TH_LOG("at offset %zu", done);
		done += actual;
	}
}

static void expect_child_ok(struct __test_metadata *_metadata, pid_t pid)
{
	int status = 0;

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("child status %#x", status);
	EXPECT_EQ(CHILD_OK, WEXITSTATUS(status));
}

TEST_F_TIMEOUT(conc, fork_child_writes_parent_reads, 60)
{
	const zx_rights_t rights = ZX_RIGHT_WRITE | ZX_RIGHT_WAIT |
				   ZX_RIGHT_INSPECT;
	const size_t total = 1 << 20;
	zx_handle_t writer;
	pid_t pid;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	/* The child gets a write-only handle; it keeps those rights. */
	writer = zxs_handle_with_rights(self->h[1], rights);
	ASSERT_NE(ZX_HANDLE_INVALID, writer);
	zxs_close(&self->h[1]);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		zx_handle_close(self->h[0]);
		if (zxs_rights(writer) != rights)
			_exit(CHILD_BAD_RIGHTS);
		if (zx_socket_read(writer, 0, &c, 1, NULL) !=
		    ZX_ERR_ACCESS_DENIED)
			_exit(CHILD_NOT_DENIED);
		_exit(child_write_pattern(writer, 42, total));
	}
	/*
	 * The parent drops its copy: the child's is now the last.  The
	 * child cannot have finished (1 MiB does not fit the queue), so
	 * the writer's end must still be alive.
	 */
	zx_handle_close(writer);
	EXPECT_EQ(0, zxs_signals(self->h[0]) & PC);
	read_pattern(_metadata, self->h[0], 42, total);
	expect_child_ok(_metadata, pid);
	/* The child exited: its end is gone, and nothing more came. */
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->h[0], PC,
					    zx_deadline_after(ZXS_LONG_NS),
					    NULL));
	EXPECT_EQ(0, zxs_queued(self->h[0]));
}

TEST_F(conc, scm_rights_in_flight_keeps_endpoint_and_rights)
{
	const zx_rights_t rights = ZX_RIGHT_READ | ZX_RIGHT_WAIT |
				   ZX_RIGHT_INSPECT;
	zx_handle_t reader, got;
	zx_koid_t koid;
	char buf[8];
	size_t actual = 0;
	int sv[2], fd;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	koid = zxs_koid(self->h[1]);
	reader = zxs_handle_with_rights(self->h[1], rights);
	ASSERT_NE(ZX_HANDLE_INVALID, reader);
	zxs_close(&self->h[1]);

	ASSERT_EQ(0, zxs_send_fd(sv[0], (int)reader));
	zx_handle_close(reader);
	/* Only the message in the AF_UNIX queue holds the end now. */
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "msg", 3, NULL));

	fd = zxs_recv_fd(sv[1]);
	ASSERT_LE(0, fd);
	got = (zx_handle_t)fd;
	EXPECT_EQ(rights, zxs_rights(got));
	EXPECT_EQ(koid, zxs_koid(got));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_write(got, 0, "x", 1, NULL));
	ASSERT_EQ(ZX_OK, zx_socket_read(got, 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(3, actual);
	EXPECT_EQ(0, memcmp(buf, "msg", 3));
	zx_handle_close(got);
	EXPECT_EQ(PC, zxs_signals(self->h[0]));
	close(sv[0]);
	close(sv[1]);
}

TEST_F_TIMEOUT(conc, scm_rights_to_child_process_keeps_rights, 60)
{
	const zx_rights_t rights = ZX_RIGHT_WRITE | ZX_RIGHT_WAIT |
				   ZX_RIGHT_INSPECT | ZX_RIGHT_TRANSFER;
	const size_t total = 512 << 10;
	zx_handle_t writer;
	zx_koid_t koid;
	int sv[2];
	pid_t pid;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	koid = zxs_koid(self->h[1]);

	/* The child starts without the endpoint and gets it by message. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		zx_handle_t h;
		char c;
		int fd;

		zx_handle_close(self->h[0]);
		zx_handle_close(self->h[1]);
		close(sv[0]);
		fd = zxs_recv_fd(sv[1]);
		if (fd < 0)
			_exit(CHILD_RECV_FAILED);
		h = (zx_handle_t)fd;
		if (zxs_rights(h) != rights)
			_exit(CHILD_BAD_RIGHTS);
		if (zxs_koid(h) != koid)
			_exit(CHILD_BAD_KOID);
		if (zx_socket_read(h, 0, &c, 1, NULL) != ZX_ERR_ACCESS_DENIED)
			_exit(CHILD_NOT_DENIED);
		_exit(child_write_pattern(h, 9, total));
	}
	close(sv[1]);
	writer = zxs_handle_with_rights(self->h[1], rights);
	ASSERT_NE(ZX_HANDLE_INVALID, writer);
	zxs_close(&self->h[1]);
	ASSERT_EQ(0, zxs_send_fd(sv[0], (int)writer));
	zx_handle_close(writer);
	close(sv[0]);

	read_pattern(_metadata, self->h[0], 9, total);
	expect_child_ok(_metadata, pid);
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->h[0], PC,
					    zx_deadline_after(ZXS_LONG_NS),
					    NULL));
}

/* ===================================== waits interrupted by signals */

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
	alarms++;
}

/*
 * SIGALRM every @interval_ns, with a handler that does nothing and no
 * SA_RESTART, so each one interrupts whatever blocking call is running.
 */
static void start_alarms(int64_t interval_ns)
{
	struct sigaction sa = { .sa_handler = count_alarm };
	struct itimerval it = {
		.it_value = { .tv_usec = interval_ns / 1000 },
		.it_interval = { .tv_usec = interval_ns / 1000 },
	};

	alarms = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_alarms(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
}

#define ALARM_INTERVAL_NS	(5 * ZXS_NSEC_PER_MSEC)
#define INTERRUPTED_WAIT_NS	(300 * ZXS_NSEC_PER_MSEC)

TEST_F(conc, wait_one_interrupted_by_signals_times_out_at_deadline)
{
	zx_time_t deadline;
	zx_signals_t observed = 0;
	zx_status_t st;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	deadline = zx_deadline_after(INTERRUPTED_WAIT_NS);
	start_alarms(ALARM_INTERVAL_NS);
	st = zx_object_wait_one(self->h[0], R, deadline, &observed);
	stop_alarms();
	/* Neither cut short by a signal nor pushed back by the retries. */
	EXPECT_EQ(ZX_ERR_TIMED_OUT, st);
	EXPECT_LE(deadline, zx_clock_get_monotonic());
	EXPECT_GT(deadline + ZXS_LONG_NS, zx_clock_get_monotonic());
	EXPECT_EQ(W, observed);
	/* Or the test proved nothing. */
	EXPECT_LT(0, alarms);
}

TEST_F(conc, wait_many_interrupted_by_signals_times_out_at_deadline)
{
	zx_wait_item_t item;
	zx_time_t deadline;
	zx_status_t st;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	item = (zx_wait_item_t){ .handle = self->h[0], .waitfor = R };
	deadline = zx_deadline_after(INTERRUPTED_WAIT_NS);
	start_alarms(ALARM_INTERVAL_NS);
	st = zx_object_wait_many(&item, 1, deadline);
	stop_alarms();
	EXPECT_EQ(ZX_ERR_TIMED_OUT, st);
	EXPECT_LE(deadline, zx_clock_get_monotonic());
	EXPECT_GT(deadline + ZXS_LONG_NS, zx_clock_get_monotonic());
	EXPECT_EQ(W, item.pending);
	EXPECT_LT(0, alarms);
}

struct late_writer {
	zx_handle_t h;
	int64_t delay_ns;
	pthread_t thread;
};

static void *late_writer_main(void *arg)
{
	struct late_writer *lw = arg;

	zxs_sleep_ns(lw->delay_ns);
	zx_socket_write(lw->h, 0, "late", 4, NULL);
	return NULL;
}

TEST_F(conc, wait_one_interrupted_by_signals_still_sees_the_write)
{
	struct late_writer lw = { .delay_ns = INTERRUPTED_WAIT_NS };
	zx_signals_t observed = 0;
	zx_time_t deadline;
	sigset_t alrm;
	zx_status_t st;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &self->h[0], &self->h[1]));
	lw.h = self->h[1];
	/* The signals must hit the waiting thread, not the writer. */
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &alrm, NULL);
	ASSERT_EQ(0, pthread_create(&lw.thread, NULL, late_writer_main, &lw));
	pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);

	deadline = zx_deadline_after(ZXS_LONG_NS);
	start_alarms(ALARM_INTERVAL_NS);
	st = zx_object_wait_one(self->h[0], R, deadline, &observed);
	stop_alarms();
	pthread_join(lw.thread, NULL);
	EXPECT_EQ(ZX_OK, st);
	EXPECT_EQ(W | R, observed);
	EXPECT_GT(deadline, zx_clock_get_monotonic());
	EXPECT_LT(0, alarms);
}

TEST_HARNESS_MAIN
