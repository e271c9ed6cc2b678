// SPDX-License-Identifier: GPL-2.0
/*
 * zxsbench: zxsocket against Linux's own IPC, in one boot.
 *
 * Primitives: zxsocket through libzxsocket (zx-lib) and through read(2)/
 * write(2) on the endpoint fd (zx-fd), pipe2 (pipe), AF_UNIX socketpairs
 * (unix-stream, unix-seqpacket, unix-dgram) and eventfd where it applies.
 *
 *   B1  one thread, write then read, stream and datagram sizes 1 B..128 KiB,
 *       from empty ("empty") and with one message already queued ("queued")
 *   B2  fixed costs: read on empty, write to full, no-op info call, poll(0)
 *   B3  two-thread ping-pong round trip, blocking and epoll wait, p50 + p99
 *   B4  two-process streaming bandwidth, 4K/64K/256K chunks
 *   B5  datagram message rate, two threads
 *   B6  N independent pairs on N threads: total rate and per-pair efficiency
 *   B9  create + close of a pair
 *   MEM kernel memory held by 10000 idle pairs (fresh and after use)
 *
 * Every row is the median of --reps runs with min and max, and "vs best"
 * compares it to the best Linux primitive of the same row (> 1: zxsocket
 * is better).  Every benchmark checks that what arrived is what was sent
 * (byte counts, sequence numbers, sampled pattern bytes) and exits 1
 * at the first mismatch.  With --csv-markers the CSV is also printed
 * between "@@ZXSBENCH-CSV-BEGIN" and "@@ZXSBENCH-CSV-END" lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#define KiB 1024UL
#define MiB (1024UL * 1024UL)
#define MAXREPS 64

/* ------------------------------------------------------------ options */

static int opt_reps = 5;
static double opt_ms = 40;		/* per timed repetition */
static size_t opt_stream_bytes = 256 * MiB;
static int opt_stream_reps = 3;
static int opt_rtt = 1000;		/* round trips per B3 repetition */
static int opt_msgs = 20000;		/* datagrams per B5 repetition */
static int opt_mem_pairs = 10000;
static double opt_mem_settle = 3;	/* idle seconds before measuring used pairs */
static const char *opt_only;
static bool opt_markers;
static bool opt_nozx;		/* --linux-only: no zxsocket rows */
static const char *opt_csv;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "zxsbench: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	fflush(stdout);
	exit(1);
}

#define CHECK(c, ...) do { if (!(c)) die(__VA_ARGS__); } while (0)

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---------------------------------------------------------- primitives */

enum prim { ZXL, ZXF, PIPE, UST, USQ, UDG, EFD, NPRIM };
static const char *const prim_name[NPRIM] = {
	"zx-lib", "zx-fd", "pipe", "unix-stream", "unix-seqpacket",
	"unix-dgram", "eventfd",
};

static bool is_zx(enum prim p)
{
	return p == ZXL || p == ZXF;
}

/* One channel: write on w, read on r (r == w's peer). */
struct chan {
	enum prim p;
	bool dgram;
	int fd[2];	/* [0] one end, [1] the other (pipes: r, w) */
	int back[2];	/* pipes/eventfd: the reverse direction */
};

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	CHECK(fl >= 0, "F_GETFL: %s", strerror(errno));
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	CHECK(fcntl(fd, F_SETFL, fl) == 0, "F_SETFL: %s", strerror(errno));
}

static void set_sockbuf(int fd, int bytes)
{
	/* The kernel doubles what it is given. */
	int v = bytes / 2;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

/*
 * Open a channel.  @buf: capacity to give Linux primitives (0: default);
 * @nonblock: O_NONBLOCK on every fd.  A zx-lib channel ignores the fd
 * flag: zx_socket_read/write never block.
 */
static void chan_open(struct chan *c, enum prim p, bool dgram, int buf,
		      bool nonblock)
{
	int nb = nonblock ? O_NONBLOCK : 0, i, type;
	zx_handle_t h[2];
	zx_status_t st;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->dgram = dgram;
	c->back[0] = c->back[1] = -1;
	switch (p) {
	case ZXL:
	case ZXF:
		st = zx_socket_create(dgram ? ZX_SOCKET_DATAGRAM : 0, &h[0], &h[1]);
		CHECK(st == ZX_OK, "zx_socket_create: %d (is zxsocket loaded?)", st);
		c->fd[0] = (int)h[0];
		c->fd[1] = (int)h[1];
		break;
	case PIPE:
		CHECK(pipe2(c->fd, nb) == 0, "pipe2: %s", strerror(errno));
		CHECK(pipe2(c->back, nb) == 0, "pipe2: %s", strerror(errno));
		if (buf) {
			for (i = 0; i < 2; i++) {
				CHECK(fcntl(c->fd[1], F_SETPIPE_SZ, buf) >= buf,
				      "F_SETPIPE_SZ %d: %s", buf, strerror(errno));
				CHECK(fcntl(c->back[1], F_SETPIPE_SZ, buf) >= buf,
				      "F_SETPIPE_SZ %d: %s", buf, strerror(errno));
			}
		}
		return;
	case EFD:
		c->fd[0] = eventfd(0, nb);
		c->fd[1] = c->fd[0];
		c->back[0] = eventfd(0, nb);
		c->back[1] = c->back[0];
		CHECK(c->fd[0] >= 0 && c->back[0] >= 0, "eventfd: %s", strerror(errno));
		return;
	default:
		type = p == UST ? SOCK_STREAM : p == USQ ? SOCK_SEQPACKET : SOCK_DGRAM;
		CHECK(socketpair(AF_UNIX, type | (nonblock ? SOCK_NONBLOCK : 0), 0,
				 c->fd) == 0, "socketpair: %s", strerror(errno));
		if (buf)
			for (i = 0; i < 2; i++)
				set_sockbuf(c->fd[i], buf);
		return;
	}
	if (nonblock)
		for (i = 0; i < 2; i++)
			set_nonblock(c->fd[i], true);
}

static void chan_close(struct chan *c)
{
	if (is_zx(c->p)) {
		zx_handle_close(c->fd[0]);
		zx_handle_close(c->fd[1]);
		return;
	}
	close(c->fd[0]);
	if (c->fd[1] != c->fd[0])
		close(c->fd[1]);
	if (c->back[0] >= 0) {
		close(c->back[0]);
		if (c->back[1] != c->back[0])
			close(c->back[1]);
	}
}

/* The fd to write to / read from, for direction @dir (0: a->b, 1: b->a). */
static int wfd(const struct chan *c, int dir)
{
	if (c->p == PIPE)
		return dir ? c->back[1] : c->fd[1];
	if (c->p == EFD)
		return dir ? c->back[0] : c->fd[0];
	return c->fd[dir];
}

static int rfd(const struct chan *c, int dir)
{
	if (c->p == PIPE)
		return dir ? c->back[0] : c->fd[0];
	if (c->p == EFD)
		return dir ? c->back[0] : c->fd[0];
	return c->fd[!dir];
}

static ssize_t zx_errno(zx_status_t st)
{
	switch (st) {
	case ZX_ERR_SHOULD_WAIT:
		errno = EAGAIN;
		break;
	case ZX_ERR_PEER_CLOSED:
		errno = EPIPE;
		break;
	default:
		errno = EIO;
		break;
	}
	return -1;
}

/* One write/read call; -1 with errno EAGAIN when it would block. */
static ssize_t do_write(const struct chan *c, int fd, const void *b, size_t n)
{
	size_t actual;
	zx_status_t st;

	if (c->p == ZXL) {
		st = zx_socket_write(fd, 0, b, n, &actual);
		return st == ZX_OK ? (ssize_t)actual : zx_errno(st);
	}
	if (c->p == EFD) {
		uint64_t one = 1;

		return write(fd, &one, 8) == 8 ? (ssize_t)n : -1;
	}
	return write(fd, b, n);
}

static ssize_t do_read(const struct chan *c, int fd, void *b, size_t n)
{
	size_t actual;
	zx_status_t st;

	if (c->p == ZXL) {
		st = zx_socket_read(fd, 0, b, n, &actual);
		return st == ZX_OK ? (ssize_t)actual : zx_errno(st);
	}
	if (c->p == EFD) {
		uint64_t v;

		if (read(fd, &v, 8) != 8)
			return -1;
		CHECK(v == 1, "eventfd counter %llu, want 1", (unsigned long long)v);
		memset(b, 0xe5, n);
		return n;
	}
	return read(fd, b, n);
}

/* zx-lib has no blocking read/write: wait for the signal, then retry. */
static void zx_wait(int fd, zx_signals_t want)
{
	zx_signals_t seen;
	zx_status_t st;

	st = zx_object_wait_one(fd, want | ZX_SOCKET_PEER_CLOSED,
				ZX_TIME_INFINITE, &seen);
	CHECK(st == ZX_OK, "zx_object_wait_one: %d", st);
	CHECK(!(seen & ZX_SOCKET_PEER_CLOSED) || (seen & want),
	      "peer closed while waiting");
}

/* Write all of @b: block (fd, zx wait) or poll for room on EAGAIN. */
static void write_all(const struct chan *c, int fd, const void *b, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = do_write(c, fd, (const char *)b + done, n - done);
		if (r > 0) {
			done += r;
			continue;
		}
		CHECK(r < 0 && errno == EAGAIN, "%s write: %s", prim_name[c->p],
		      r ? strerror(errno) : "returned 0");
		if (c->p == ZXL) {
			zx_wait(fd, ZX_SOCKET_WRITABLE);
		} else {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, -1);
		}
	}
}

/*
 * Read exactly @n bytes (stream) or one message of @n bytes (datagram).
 * @ep: wait with this epoll fd on EAGAIN (else block / zx wait / poll).
 */
static void read_all(const struct chan *c, int fd, void *b, size_t n, int ep)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = do_read(c, fd, (char *)b + done, n - done);
		if (r > 0) {
			done += r;
			if (c->dgram)
				CHECK(done == n, "%s: datagram of %zd bytes, want %zu",
				      prim_name[c->p], r, n);
			continue;
		}
		CHECK(r < 0 && errno == EAGAIN, "%s read: %s", prim_name[c->p],
		      r ? strerror(errno) : "end of file");
		if (ep >= 0) {
			struct epoll_event ev;

			epoll_wait(ep, &ev, 1, -1);
		} else if (c->p == ZXL) {
			zx_wait(fd, ZX_SOCKET_READABLE);
		} else {
			struct pollfd pf = { .fd = fd, .events = POLLIN };

			poll(&pf, 1, -1);
		}
	}
}

/* ------------------------------------------------------ data patterns */

/* Message @seq of @n bytes: seq in the first 8 bytes, pattern after. */
static void msg_fill(char *b, size_t n, uint64_t seq)
{
	if (n >= 8)
		memcpy(b, &seq, 8);
	else
		memset(b, (int)(seq & 0xff), n);
	if (n > 8)
		b[n - 1] = (char)(seq * 31 + n);
}

static void msg_check(const struct chan *c, const char *b, size_t n,
		      uint64_t seq, const char *what)
{
	uint64_t got;

	if (c->p == EFD)
		return;
	if (n >= 8) {
		memcpy(&got, b, 8);
		CHECK(got == seq, "%s %s: message %llu arrived as %llu", what,
		      prim_name[c->p], (unsigned long long)seq,
		      (unsigned long long)got);
		if (n > 8)
			CHECK(b[n - 1] == (char)(seq * 31 + n),
			      "%s %s: message %llu: last byte wrong", what,
			      prim_name[c->p], (unsigned long long)seq);
	} else {
		CHECK((unsigned char)b[0] == (seq & 0xff) &&
		      (unsigned char)b[n - 1] == (seq & 0xff),
		      "%s %s: 1-byte message %llu wrong", what, prim_name[c->p],
		      (unsigned long long)seq);
	}
}

/*
 * The streaming pattern: byte k of the stream is pat[k % PAT_PERIOD].  A
 * writer sends from pat + (offset % PAT_PERIOD); a reader samples every
 * PAT_STRIDE-th byte and the last byte of each read.
 */
#define PAT_PERIOD 4093
#define PAT_STRIDE 251
static unsigned char *pat;

static void pat_init(size_t max)
{
	size_t i;

	pat = malloc(max + PAT_PERIOD);
	CHECK(pat, "out of memory");
	for (i = 0; i < max + PAT_PERIOD; i++)
		pat[i] = (unsigned char)((i % PAT_PERIOD) * 7 + 3);
}

static void pat_check(const unsigned char *b, size_t n, uint64_t off,
		      const char *who)
{
	size_t i;

	for (i = 0; i < n; i += PAT_STRIDE)
		CHECK(b[i] == pat[(off + i) % PAT_PERIOD],
		      "%s: stream byte %llu is wrong", who,
		      (unsigned long long)(off + i));
	if (n)
		CHECK(b[n - 1] == pat[(off + n - 1) % PAT_PERIOD],
		      "%s: stream byte %llu is wrong", who,
		      (unsigned long long)(off + n - 1));
}

/* ------------------------------------------------------------ results */

struct row {
	char bench[8];
	char variant[24];
	size_t size;
	enum prim p;
	char metric[16];
	char unit[8];
	bool higher_better;
	double v[MAXREPS];
	int n;
	double med, min, max, vs_best;	/* vs_best: > 1 is better than Linux */
	char best[16];
};

static struct row *rows;
static int nrows, cap_rows;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double t[MAXREPS * 4];

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static struct row *add_row(const char *bench, const char *variant, size_t size,
			   enum prim p, const char *metric, const char *unit,
			   bool higher_better, const double *v, int n)
{
	struct row *r;
	int i;

	if (nrows == cap_rows) {
		cap_rows = cap_rows ? cap_rows * 2 : 256;
		rows = realloc(rows, cap_rows * sizeof(*rows));
		CHECK(rows, "out of memory");
	}
	r = &rows[nrows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->bench, sizeof(r->bench), "%s", bench);
	snprintf(r->variant, sizeof(r->variant), "%s", variant);
	snprintf(r->metric, sizeof(r->metric), "%s", metric);
	snprintf(r->unit, sizeof(r->unit), "%s", unit);
	r->size = size;
	r->p = p;
	r->higher_better = higher_better;
	r->n = n;
	memcpy(r->v, v, n * sizeof(*v));
	r->med = median(r->v, n);
	r->min = r->max = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < r->min)
			r->min = v[i];
		if (v[i] > r->max)
			r->max = v[i];
	}
	return r;
}

static bool same_group(const struct row *a, const struct row *b)
{
	return !strcmp(a->bench, b->bench) && !strcmp(a->variant, b->variant) &&
	       a->size == b->size && !strcmp(a->metric, b->metric);
}

/* Fill vs_best and best for every row of the group starting at rows[from]. */
static void rank_rows(int from)
{
	int i, j;

	for (i = from; i < nrows; i++) {
		const struct row *best = NULL;

		for (j = from; j < nrows; j++) {
			const struct row *o = &rows[j];

			if (is_zx(o->p) || !same_group(&rows[i], o) || o->med <= 0)
				continue;
			if (!best || (o->higher_better ? o->med > best->med :
				      o->med < best->med))
				best = o;
		}
		rows[i].vs_best = 0;
		rows[i].best[0] = 0;
		if (!best || rows[i].med <= 0)
			continue;
		rows[i].vs_best = rows[i].higher_better ? rows[i].med / best->med :
				  best->med / rows[i].med;
		snprintf(rows[i].best, sizeof(rows[i].best), "%s", prim_name[best->p]);
	}
}

static const char *size_str(size_t s)
{
	static char buf[8][32];
	static int k;
	char *b = buf[k++ % 8];

	if (!s)
		snprintf(b, 32, "-");
	else if (s >= MiB && !(s % MiB))
		snprintf(b, 32, "%zuM", s / MiB);
	else if (s >= KiB && !(s % KiB))
		snprintf(b, 32, "%zuK", s / KiB);
	else
		snprintf(b, 32, "%zu", s);
	return b;
}

static const char *num_str(double v)
{
	static char buf[8][32];
	static int k;
	char *b = buf[k++ % 8];

	if (v >= 1e7)
		snprintf(b, 32, "%.3g", v);
	else if (v >= 100)
		snprintf(b, 32, "%.0f", v);
	else
		snprintf(b, 32, "%.3g", v);
	return b;
}

static void print_group_header(const struct row *r)
{
	printf("\n%s %s  size %s  %s (%s, %s)\n", r->bench, r->variant,
	       size_str(r->size), r->metric, r->unit,
	       r->higher_better ? "higher is better" : "lower is better");
}

/* Print rows[from..] as a table. */
static void print_rows(int from)
{
	int i;

	rank_rows(from);
	for (i = from; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (i == from || !same_group(r, &rows[i - 1]))
			print_group_header(r);
		printf("  %-15s %10s  [%s .. %s]", prim_name[r->p], num_str(r->med),
		       num_str(r->min), num_str(r->max));
		if (r->vs_best > 0)
			printf("  %5.2fx best (%s)", r->vs_best, r->best);
		printf("\n");
	}
	fflush(stdout);
}

static void write_csv(FILE *f)
{
	int i;

	fprintf(f, "bench,variant,size,primitive,metric,unit,higher_better,"
		"median,min,max,reps,vs_best_linux,best_linux\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%s,%s,%zu,%s,%s,%s,%d,%.6g,%.6g,%.6g,%d,%.4f,%s\n",
			r->bench, r->variant, r->size, prim_name[r->p], r->metric,
			r->unit, r->higher_better, r->med, r->min, r->max, r->n,
			r->vs_best, r->best);
	}
}

static const struct row *find_row(const char *bench, const char *variant,
				  size_t size, enum prim p, const char *metric)
{
	int i;

	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (!strcmp(r->bench, bench) && !strcmp(r->variant, variant) &&
		    r->size == size && r->p == p && !strcmp(r->metric, metric))
			return r;
	}
	return NULL;
}

static bool want(const char *bench)
{
	return !opt_only || strstr(opt_only, bench);
}

/* ----------------------------------------------------- timed loops */

/*
 * Run @fn(@arg, iters) for about opt_ms, opt_reps times; each sample is
 * nanoseconds per iteration.  The first call sizes the batch.
 */
typedef void (*loop_fn)(void *arg, long iters);

/* Iterations of @fn that take about opt_ms. */
static long calibrate(loop_fn fn, void *arg)
{
	long iters = 1;
	double t0, dt;

	for (;;) {
		t0 = now_ns();
		fn(arg, iters);
		dt = now_ns() - t0;
		if (dt > opt_ms * 1e6 / 8 || iters > (1L << 30))
			break;
		iters *= 4;
	}
	return (long)(iters * (opt_ms * 1e6 / (dt > 1 ? dt : 1))) + 1;
}

/*
 * Time @n loops against each other: opt_reps rounds, each running every
 * loop once for about opt_ms, so that a change in the machine's load hits
 * all primitives of a row alike.  out[j][rep]: ns per iteration.
 */
static void timed_group(int n, loop_fn *fn, void **arg, double (*out)[MAXREPS])
{
	long iters[NPRIM + 1];
	double t0;
	int i, j;

	for (j = 0; j < n; j++)
		iters[j] = calibrate(fn[j], arg[j]);
	for (i = 0; i < opt_reps; i++) {
		for (j = 0; j < n; j++) {
			t0 = now_ns();
			fn[j](arg[j], iters[j]);
			out[j][i] = (now_ns() - t0) / iters[j];
		}
	}
}

/* ------------------------------------------------------------------ B1 */

struct b1 {
	struct chan c;
	size_t size;
	char *wb, *rb;
	uint64_t wseq, rseq;
};

static void b1_loop(void *arg, long iters)
{
	struct b1 *s = arg;
	long i;

	for (i = 0; i < iters; i++) {
		msg_fill(s->wb, s->size, s->wseq);
		write_all(&s->c, wfd(&s->c, 0), s->wb, s->size);
		s->wseq++;
		read_all(&s->c, rfd(&s->c, 0), s->rb, s->size, -1);
		msg_check(&s->c, s->rb, s->size, s->rseq++, "B1");
	}
}

static void bench_b1(void)
{
	static const size_t sizes[] = { 1, 64, KiB, 4 * KiB, 16 * KiB,
					64 * KiB, 128 * KiB };
	static const enum prim sp[] = { ZXL, ZXF, PIPE, UST, EFD };
	static const enum prim dp[] = { ZXL, ZXF, USQ, UDG };
	double v[NPRIM][MAXREPS];
	struct b1 s[NPRIM];
	loop_fn fn[NPRIM];
	void *arg[NPRIM];
	int dg, q, k, j, n;
	char var[24];

	for (j = 0; j < NPRIM; j++) {
		s[j].wb = malloc(128 * KiB);
		s[j].rb = malloc(128 * KiB);
		fn[j] = b1_loop;
		arg[j] = &s[j];
	}
	for (dg = 0; dg < 2; dg++) {
		for (q = 0; q < 2; q++) {
			for (k = 0; k < 7; k++) {
				/* Two 128K messages overfill a 256K zxsocket. */
				if (q && sizes[k] > 64 * KiB)
					continue;
				snprintf(var, sizeof(var), "%s-%s",
					 dg ? "dgram" : "stream", q ? "queued" : "empty");
				n = 0;
				for (j = 0; j < (dg ? 4 : 5); j++) {
					enum prim p = dg ? dp[j] : sp[j];
					struct b1 *b = &s[n];

					if ((p == EFD && (sizes[k] != 1 || q)) ||
					    (opt_nozx && is_zx(p)))
						continue;
					chan_open(&b->c, p, dg, 1 * MiB, true);
					b->size = sizes[k];
					b->wseq = b->rseq = 0;
					if (q) {
						msg_fill(b->wb, b->size, b->wseq++);
						write_all(&b->c, wfd(&b->c, 0), b->wb, b->size);
					}
					n++;
				}
				timed_group(n, fn, arg, v);
				for (j = 0; j < n; j++) {
					chan_close(&s[j].c);
					add_row("B1", var, sizes[k], s[j].c.p, "write+read",
						"ns", false, v[j], opt_reps);
				}
				print_rows(nrows - n);
			}
		}
	}
	for (j = 0; j < NPRIM; j++) {
		free(s[j].wb);
		free(s[j].rb);
	}
}

/* ------------------------------------------------------------------ B2 */

struct b2 {
	struct chan c;
	int op;
};

enum { B2_READ_EMPTY, B2_WRITE_FULL, B2_INFO, B2_POLL0 };

static void b2_loop(void *arg, long iters)
{
	struct b2 *s = arg;
	int w = wfd(&s->c, 0), r = rfd(&s->c, 0);
	char b[64];
	long i;
	ssize_t n;

	for (i = 0; i < iters; i++) {
		switch (s->op) {
		case B2_READ_EMPTY:
			n = do_read(&s->c, r, b, sizeof(b));
			CHECK(n < 0 && errno == EAGAIN, "B2 %s: read on empty: %zd",
			      prim_name[s->c.p], n);
			break;
		case B2_WRITE_FULL:
			if (s->c.p == EFD) {
				uint64_t one = 1;

				n = write(w, &one, 8);
			} else {
				n = do_write(&s->c, w, b, 1);
			}
			CHECK(n < 0 && errno == EAGAIN, "B2 %s: write to full: %zd",
			      prim_name[s->c.p], n);
			break;
		case B2_INFO:
			if (is_zx(s->c.p)) {
				zx_status_t st = zx_object_get_info(r, ZX_INFO_HANDLE_VALID,
								    NULL, 0, NULL, NULL);

				CHECK(st == ZX_OK, "B2 get_info: %d", st);
			} else {
				int q = -1;

				CHECK(ioctl(r, FIONREAD, &q) == 0 && q == 0,
				      "B2 FIONREAD: %s", strerror(errno));
			}
			break;
		case B2_POLL0:
			if (s->c.p == ZXL) {
				zx_signals_t seen;
				zx_status_t st = zx_object_wait_one(r, ZX_SOCKET_READABLE, 0,
								    &seen);

				CHECK(st == ZX_ERR_TIMED_OUT, "B2 wait_one(0): %d", st);
			} else {
				struct pollfd pf = { .fd = r, .events = POLLIN };

				CHECK(poll(&pf, 1, 0) == 0, "B2 poll(0) reported an event");
			}
			break;
		}
	}
}

static void fill_up(struct chan *c)
{
	char b[4096];
	ssize_t n;

	memset(b, 1, sizeof(b));
	if (c->p == EFD) {
		uint64_t v = 0xfffffffffffffffeULL;

		CHECK(write(wfd(c, 0), &v, 8) == 8, "eventfd fill: %s", strerror(errno));
		return;
	}
	for (;;) {
		n = do_write(c, wfd(c, 0), b, c->dgram ? 64 : sizeof(b));
		if (n < 0 && errno == EAGAIN)
			break;
		CHECK(n > 0, "fill: %s", strerror(errno));
	}
	/* Fill the last few bytes too. */
	while (do_write(c, wfd(c, 0), b, 1) == 1)
		;
}

static void bench_b2(void)
{
	static const char *const ops[] = {
		"read-empty", "write-full", "info-noop", "poll0",
	};
	static const enum prim ps[] = { ZXL, ZXF, PIPE, UST, USQ, UDG, EFD };
	double v[NPRIM][MAXREPS];
	struct b2 s[NPRIM];
	loop_fn fn[NPRIM];
	void *arg[NPRIM];
	int op, j, n;

	for (op = 0; op < 4; op++) {
		n = 0;
		for (j = 0; j < 7; j++) {
			enum prim p = ps[j];

			if ((opt_nozx && is_zx(p)) || (op == B2_INFO && p == EFD))
				continue;
			chan_open(&s[n].c, p, p == USQ || p == UDG, 0, true);
			s[n].op = op;
			if (op == B2_WRITE_FULL)
				fill_up(&s[n].c);
			fn[n] = b2_loop;
			arg[n] = &s[n];
			n++;
		}
		timed_group(n, fn, arg, v);
		for (j = 0; j < n; j++) {
			chan_close(&s[j].c);
			add_row("B2", ops[op], 0, s[j].c.p, "call", "ns", false, v[j],
				opt_reps);
		}
		print_rows(nrows - n);
	}
}

/* ------------------------------------------------------------------ B3 */

struct b3 {
	struct chan c;
	size_t size;
	bool epoll;
	int rounds;
	char *buf;
};

static int ep_for(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(0);

	CHECK(ep >= 0, "epoll_create1: %s", strerror(errno));
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl: %s",
	      strerror(errno));
	return ep;
}

static void *b3_echo(void *arg)
{
	struct b3 *s = arg;
	char *b = malloc(s->size);
	int r = rfd(&s->c, 0), ep = s->epoll ? ep_for(r) : -1, i;

	for (i = 0; i < s->rounds; i++) {
		read_all(&s->c, r, b, s->size, ep);
		msg_check(&s->c, b, s->size, i, "B3 echo");
		write_all(&s->c, wfd(&s->c, 1), b, s->size);
	}
	if (ep >= 0)
		close(ep);
	free(b);
	return NULL;
}

static void bench_b3(void)
{
	static const size_t sizes[] = { 1, 64, 4 * KiB, 64 * KiB };
	static const enum prim ps[] = { ZXL, ZXF, PIPE, UST, EFD };
	double p50[5][MAXREPS], p99[5][MAXREPS], *lat;
	int e, k, j, rep, i, from, ep, rounds;
	bool done[5];
	struct b3 s;
	pthread_t t;
	char var[24];

	s.buf = malloc(64 * KiB);
	lat = malloc(opt_rtt * sizeof(*lat));
	for (e = 0; e < 2; e++) {
		for (k = 0; k < 4; k++) {
			from = nrows;
			memset(done, 0, sizeof(done));
			snprintf(var, sizeof(var), "%s", e ? "epoll" : "blocking");
			rounds = sizes[k] >= 64 * KiB ? opt_rtt / 4 : opt_rtt;
			for (rep = 0; rep < opt_reps; rep++) {
				for (j = 0; j < 5; j++) {
					enum prim p = ps[j];

					if ((p == EFD && sizes[k] != 1) ||
					    (opt_nozx && is_zx(p)))
						continue;
					s.size = sizes[k];
					s.epoll = e;
					s.rounds = rounds;
					chan_open(&s.c, p, false, 0, e);
					pthread_create(&t, NULL, b3_echo, &s);
					ep = e ? ep_for(rfd(&s.c, 1)) : -1;
					for (i = 0; i < s.rounds; i++) {
						double t0 = now_ns();

						msg_fill(s.buf, s.size, i);
						write_all(&s.c, wfd(&s.c, 0), s.buf, s.size);
						read_all(&s.c, rfd(&s.c, 1), s.buf, s.size, ep);
						lat[i] = now_ns() - t0;
						msg_check(&s.c, s.buf, s.size, i, "B3 reply");
					}
					pthread_join(t, NULL);
					if (ep >= 0)
						close(ep);
					chan_close(&s.c);
					qsort(lat, s.rounds, sizeof(*lat), cmp_double);
					p50[j][rep] = lat[s.rounds / 2] / 1000;
					p99[j][rep] = lat[s.rounds * 99 / 100] / 1000;
					done[j] = true;
				}
			}
			for (j = 0; j < 5; j++)
				if (done[j])
					add_row("B3", var, sizes[k], ps[j], "rtt-p50", "us",
						false, p50[j], opt_reps);
			for (j = 0; j < 5; j++)
				if (done[j])
					add_row("B3", var, sizes[k], ps[j], "rtt-p99", "us",
						false, p99[j], opt_reps);
			print_rows(from);
		}
	}
	free(lat);
	free(s.buf);
}

/* ------------------------------------------------------------------ B4 */

static void stream_writer(const struct chan *c, int fd, size_t chunk,
			  size_t total)
{
	size_t off = 0, n;

	while (off < total) {
		n = chunk < total - off ? chunk : total - off;
		write_all(c, fd, pat + off % PAT_PERIOD, n);
		off += n;
	}
}

/* Read @total bytes in reads of up to @chunk, checking the pattern. */
static void stream_reader(const struct chan *c, int fd, char *buf,
			  size_t chunk, size_t total, const char *who)
{
	size_t off = 0;
	ssize_t r;

	while (off < total) {
		r = do_read(c, fd, buf, chunk);
		if (r > 0) {
			pat_check((unsigned char *)buf, r, off, who);
			off += r;
			continue;
		}
		CHECK(r < 0 && errno == EAGAIN, "%s: read: %s", who,
		      r ? strerror(errno) : "early end of file");
		zx_wait(fd, ZX_SOCKET_READABLE);
	}
	CHECK(off == total, "%s: %zu bytes arrived, want %zu", who, off, total);
}

static void bench_b4(void)
{
	static const size_t chunks[] = { 4 * KiB, 64 * KiB, 256 * KiB };
	static const enum prim ps[] = { ZXL, ZXF, PIPE, UST };
	double v[4][MAXREPS];
	int k, j, rep, st;
	struct chan c;
	char *buf = malloc(256 * KiB);
	char who[48];
	pid_t pid;

	for (k = 0; k < 3; k++) {
		/* Primitives take turns in every round (see timed_group()). */
		for (rep = 0; rep < opt_stream_reps; rep++) {
			for (j = 0; j < 4; j++) {
				enum prim p = ps[j];
				double t0;

				if (opt_nozx && is_zx(p))
					continue;
				snprintf(who, sizeof(who), "B4 %s %s", prim_name[p],
					 size_str(chunks[k]));
				chan_open(&c, p, false, 256 * KiB, false);
				t0 = now_ns();
				pid = fork();
				CHECK(pid >= 0, "fork: %s", strerror(errno));
				if (!pid) {
					stream_writer(&c, wfd(&c, 0), chunks[k],
						      opt_stream_bytes);
					_exit(0);
				}
				if (p == PIPE)
					close(c.fd[1]);
				stream_reader(&c, rfd(&c, 0), buf, chunks[k],
					      opt_stream_bytes, who);
				CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
				      !WEXITSTATUS(st), "%s: writer failed", who);
				v[j][rep] = opt_stream_bytes / ((now_ns() - t0) / 1e9) / MiB;
				if (p == PIPE)
					c.fd[1] = c.fd[0];
				chan_close(&c);
			}
		}
		for (j = 0; j < 4; j++)
			if (!opt_nozx || !is_zx(ps[j]))
				add_row("B4", "2proc", chunks[k], ps[j], "bandwidth",
					"MiB/s", true, v[j], opt_stream_reps);
		print_rows(nrows - (opt_nozx ? 2 : 4));
	}
	free(buf);
}

/* ------------------------------------------------------------------ B5 */

struct b5 {
	struct chan c;
	size_t size;
	int msgs;
};

static void *b5_sender(void *arg)
{
	struct b5 *s = arg;
	char *b = malloc(s->size);
	int i;

	for (i = 0; i < s->msgs; i++) {
		msg_fill(b, s->size, i);
		write_all(&s->c, wfd(&s->c, 0), b, s->size);
	}
	free(b);
	return NULL;
}

static void bench_b5(void)
{
	static const size_t sizes[] = { 64, KiB };
	static const enum prim ps[] = { ZXL, ZXF, USQ, UDG };
	double v[4][MAXREPS];
	int k, j, rep, i;
	char b[KiB];
	struct b5 s;
	pthread_t t;

	for (k = 0; k < 2; k++) {
		for (rep = 0; rep < opt_reps; rep++) {
			for (j = 0; j < 4; j++) {
				double t0;

				if (opt_nozx && is_zx(ps[j]))
					continue;
				chan_open(&s.c, ps[j], true, 0, false);
				s.size = sizes[k];
				s.msgs = opt_msgs;
				t0 = now_ns();
				pthread_create(&t, NULL, b5_sender, &s);
				for (i = 0; i < s.msgs; i++) {
					read_all(&s.c, rfd(&s.c, 0), b, s.size, -1);
					msg_check(&s.c, b, s.size, i, "B5");
				}
				pthread_join(t, NULL);
				v[j][rep] = s.msgs / ((now_ns() - t0) / 1e9);
				chan_close(&s.c);
			}
		}
		for (j = 0; j < 4; j++)
			if (!opt_nozx || !is_zx(ps[j]))
				add_row("B5", "2thread", sizes[k], ps[j], "msgs", "msg/s",
					true, v[j], opt_reps);
		print_rows(nrows - (opt_nozx ? 2 : 4));
	}
}

/* ------------------------------------------------------------------ B6 */

struct b6 {
	struct b1 s;
	pthread_barrier_t *bar;
	double stop;		/* now_ns() deadline */
	long ops;
};

static void *b6_worker(void *arg)
{
	struct b6 *w = arg;

	pthread_barrier_wait(w->bar);
	w->ops = 0;
	while (now_ns() < w->stop) {
		b1_loop(&w->s, 64);
		w->ops += 64;
	}
	return NULL;
}

static void bench_b6(void)
{
	static const size_t sizes[] = { 64, 4 * KiB };
	static const enum prim ps[] = { ZXL, ZXF, PIPE, UST };
	static const int ns[] = { 1, 2, 4 };
	double v[4][MAXREPS], eff[MAXREPS], base[NPRIM][2];
	pthread_barrier_t bar;
	struct b6 w[4];
	pthread_t t[4];
	int k, j, ni, rep, i, from;
	char var[24];

	for (k = 0; k < 2; k++) {
		for (ni = 0; ni < 3; ni++) {
			int n = ns[ni];

			from = nrows;
			snprintf(var, sizeof(var), "N=%d", n);
			for (rep = 0; rep < opt_reps; rep++) {
				for (j = 0; j < 4; j++) {
					enum prim p = ps[j];
					long total = 0;
					double t0;

					if (opt_nozx && is_zx(p))
						continue;
					pthread_barrier_init(&bar, NULL, n + 1);
					for (i = 0; i < n; i++) {
						memset(&w[i], 0, sizeof(w[i]));
						chan_open(&w[i].s.c, p, false, 1 * MiB, true);
						w[i].s.size = sizes[k];
						w[i].s.wb = malloc(sizes[k]);
						w[i].s.rb = malloc(sizes[k]);
						w[i].bar = &bar;
						w[i].stop = now_ns() + 1e12;
						pthread_create(&t[i], NULL, b6_worker, &w[i]);
					}
					t0 = now_ns();
					for (i = 0; i < n; i++)
						w[i].stop = t0 + opt_ms * 2e6;
					__sync_synchronize();
					pthread_barrier_wait(&bar);
					for (i = 0; i < n; i++) {
						pthread_join(t[i], NULL);
						total += w[i].ops;
						chan_close(&w[i].s.c);
						free(w[i].s.wb);
						free(w[i].s.rb);
					}
					pthread_barrier_destroy(&bar);
					v[j][rep] = total / ((now_ns() - t0) / 1e9);
				}
			}
			for (j = 0; j < 4; j++) {
				if (opt_nozx && is_zx(ps[j]))
					continue;
				add_row("B6", var, sizes[k], ps[j], "total-ops", "op/s",
					true, v[j], opt_reps);
				if (n == 1)
					base[ps[j]][k] = median(v[j], opt_reps);
			}
			for (j = 0; j < 4; j++) {
				if (opt_nozx && is_zx(ps[j]))
					continue;
				for (rep = 0; rep < opt_reps; rep++)
					eff[rep] = v[j][rep] / n / base[ps[j]][k];
				add_row("B6", var, sizes[k], ps[j], "efficiency", "ratio",
					true, eff, opt_reps);
			}
			print_rows(from);
		}
	}
}

/* ------------------------------------------------------------------ B9 */

struct b9 {
	enum prim p;
};

static void b9_loop(void *arg, long iters)
{
	struct b9 *s = arg;
	struct chan c;
	long i;

	for (i = 0; i < iters; i++) {
		chan_open(&c, s->p, false, 0, false);
		chan_close(&c);
	}
}

static void b9_pipe_loop(void *arg, long iters)
{
	int fd[2];
	long i;

	for (i = 0; i < iters; i++) {
		CHECK(pipe2(fd, 0) == 0, "pipe2: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
	}
}

static void bench_b9(void)
{
	static const enum prim ps[] = { ZXL, UST, USQ, PIPE };
	double v[NPRIM][MAXREPS];
	struct b9 s[4];
	loop_fn fn[4];
	void *arg[4];
	int j, n = 0;

	for (j = 0; j < 4; j++) {
		if (opt_nozx && is_zx(ps[j]))
			continue;
		s[n].p = ps[j];
		/* One pipe2 is one pipe, not the two chan_open() makes. */
		fn[n] = ps[j] == PIPE ? b9_pipe_loop : b9_loop;
		arg[n] = &s[n];
		n++;
	}
	timed_group(n, fn, arg, v);
	for (j = 0; j < n; j++)
		add_row("B9", "create+close", 0, s[j].p, "pair", "ns", false, v[j],
			opt_reps);
	print_rows(nrows - n);
}

/* ----------------------------------------------------------------- MEM */

static const char *cg_dir = "/sys/fs/cgroup/zxsbench";
static bool cg_ok;

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

static void cg_setup(void)
{
	char pid[32];

	/* Only inside a scripts/vm-run guest: don't rearrange a host's cgroups. */
	if (!getenv("ZXS_KERNEL"))
		return;
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	mkdir(cg_dir, 0755);
	snprintf(pid, sizeof(pid), "%d", getpid());
	cg_ok = write_file("/sys/fs/cgroup/zxsbench/cgroup.procs", pid) &&
		access("/sys/fs/cgroup/zxsbench/memory.current", R_OK) == 0;
}

/* Kernel memory now: memcg memory.current, else MemTotal - MemFree. */
static double mem_now(void)
{
	char line[256];
	long long a = 0, b = 0;
	FILE *f;

	if (cg_ok) {
		f = fopen("/sys/fs/cgroup/zxsbench/memory.current", "r");
		if (f && fscanf(f, "%lld", &a) == 1) {
			fclose(f);
			return a;
		}
		if (f)
			fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	CHECK(f, "/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %lld", &a);
		sscanf(line, "MemFree: %lld", &b);
	}
	fclose(f);
	return (a - b) * 1024.0;
}

static double slab_now(void)
{
	char line[256];
	long long s = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	CHECK(f, "/proc/meminfo: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		sscanf(line, "Slab: %lld", &s);
	fclose(f);
	return s * 1024.0;
}

static void bench_mem(void)
{
	static const enum prim sps[] = { ZXL, PIPE, UST }, dps[] = { ZXL, USQ };
	struct rlimit rl = { 4 * opt_mem_pairs + 64, 4 * opt_mem_pairs + 64 };
	int n = opt_mem_pairs, used, j, i, dg, rep, from, np;
	double v[3][3], s[3][3], m0, s0;
	struct chan *cs = calloc(n, sizeof(*cs));
	char b[4096], var[24];

	CHECK(cs, "out of memory");
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("RLIMIT_NOFILE %d: %s", 4 * n + 64, strerror(errno));
	cg_setup();
	printf("\nMEM: %d idle pairs, %s and /proc/meminfo Slab deltas per pair;\n"
	       "     a pipe 'pair' is two pipes (one per direction), as a zxsocket\n"
	       "     and a socketpair carry both; 'used': 4 KiB (1 KiB datagram)\n"
	       "     written and read back once on each pair, then %.1f s idle\n",
	       n, cg_ok ? "memcg memory.current" : "MemTotal-MemFree", opt_mem_settle);
	for (used = 0; used < 2; used++) {
		for (dg = 0; dg < 2; dg++) {
			const enum prim *ps = dg ? dps : sps;

			np = dg ? 2 : 3;
			from = nrows;
			snprintf(var, sizeof(var), "%s-%s", dg ? "dgram" : "stream",
				 used ? "used" : "fresh");
			for (j = 0; j < np; j++) {
				enum prim p = ps[j];

				if (opt_nozx && is_zx(p))
					continue;
				for (rep = 0; rep < 3; rep++) {
					usleep(200000);
					m0 = mem_now();
					s0 = slab_now();
					for (i = 0; i < n; i++) {
						size_t sz = dg ? 1024 : 4096;

						chan_open(&cs[i], p, dg, 0, true);
						if (!used)
							continue;
						memset(b, 0x5a, sz);
						write_all(&cs[i], wfd(&cs[i], 0), b, sz);
						memset(b, 0, sz);
						read_all(&cs[i], rfd(&cs[i], 0), b, sz, -1);
						CHECK(b[0] == 0x5a && b[sz - 1] == 0x5a,
						      "MEM: data corrupted");
					}
					/* Idle means idle for a while: let caches trim. */
					if (used)
						usleep(opt_mem_settle * 1e6);
					v[j][rep] = (mem_now() - m0) / n;
					s[j][rep] = (slab_now() - s0) / n;
					for (i = 0; i < n; i++)
						chan_close(&cs[i]);
				}
				add_row("MEM", var, n, p, "bytes/pair", "B", false, v[j], 3);
			}
			for (j = 0; j < np; j++)
				if (!opt_nozx || !is_zx(ps[j]))
					add_row("MEM", var, n, ps[j], "slab/pair", "B", false,
						s[j], 3);
			print_rows(from);
		}
	}
	free(cs);
}

/* -------------------------------------------------------------- targets */

static void target(const char *name, double value, double goal, bool at_least,
		   const char *what)
{
	bool ok = value > 0 && (at_least ? value >= goal : value <= goal);

	printf("  %-6s %-58s %6.2f  (target %s %.2f)  %s\n", name, what, value,
	       at_least ? ">=" : "<=", goal, value > 0 ? (ok ? "MET" : "MISSED") :
	       "n/a");
}

static double ratio(const char *bench, const char *var, size_t size,
		    enum prim a, enum prim b, const char *metric)
{
	const struct row *x = find_row(bench, var, size, a, metric);
	const struct row *y = find_row(bench, var, size, b, metric);

	if (!x || !y || y->med <= 0)
		return 0;
	return x->med / y->med;
}

static void print_targets(void)
{
	static const size_t small[] = { 1, 64 }, big[] = { 16 * KiB, 64 * KiB,
							   128 * KiB };
	enum prim z;
	char what[96];
	int i, zi;

	printf("\nTargets (zx-fd and zx-lib; ratios to Linux in this boot)\n");
	for (zi = 0; zi < 2; zi++) {
		z = zi ? ZXL : ZXF;
		for (i = 0; i < 2; i++) {
			snprintf(what, sizeof(what), "B1 %s stream %s: time / pipe time",
				 prim_name[z], size_str(small[i]));
			target("B1", ratio("B1", "stream-empty", small[i], z, PIPE,
					   "write+read"), 1.0, false, what);
		}
		for (i = 0; i < 3; i++) {
			snprintf(what, sizeof(what), "B1 %s stream %s: pipe time / time",
				 prim_name[z], size_str(big[i]));
			target("B1", ratio("B1", "stream-empty", big[i], PIPE, z,
					   "write+read"), 1.3, true, what);
		}
		for (i = 0; i < 4; i++) {
			static const size_t s3[] = { 1, 64, 4 * KiB, 64 * KiB };

			snprintf(what, sizeof(what), "B3 %s blocking %s: p50 / pipe p50",
				 prim_name[z], size_str(s3[i]));
			target("B3", ratio("B3", "blocking", s3[i], z, PIPE, "rtt-p50"),
			       1.1, false, what);
		}
		for (i = 0; i < 3; i++) {
			static const size_t s4[] = { 4 * KiB, 64 * KiB, 256 * KiB };
			const struct row *r = find_row("B4", "2proc", s4[i], z,
						       "bandwidth");

			snprintf(what, sizeof(what), "B4 %s %s: bandwidth / best Linux",
				 prim_name[z], size_str(s4[i]));
			target("B4", r ? r->vs_best : 0, 1.0, true, what);
		}
		for (i = 0; i < 2; i++) {
			static const size_t s5[] = { 64, KiB };

			snprintf(what, sizeof(what), "B5 %s %s: msg/s / seqpacket",
				 prim_name[z], size_str(s5[i]));
			target("B5", ratio("B5", "2thread", s5[i], z, USQ, "msgs"), 1.5,
			       true, what);
		}
		for (i = 0; i < 2; i++) {
			static const size_t s6[] = { 64, 4 * KiB };
			const struct row *r = find_row("B6", "N=2", s6[i], z,
						       "efficiency");

			snprintf(what, sizeof(what), "B6 %s %s: N=2 per-pair efficiency",
				 prim_name[z], size_str(s6[i]));
			target("B6", r ? r->med : 0, 0.9, true, what);
		}
	}
	target("B9", ratio("B9", "create+close", 0, ZXL, UST, "pair"), 1.5, false,
	       "B9 zx create+close / socketpair+close");
	{
		const struct row *r = find_row("MEM", "stream-used", opt_mem_pairs,
					       ZXL, "bytes/pair");
		const struct row *f = find_row("MEM", "stream-fresh", opt_mem_pairs,
					       ZXL, "bytes/pair");

		if (r && f)
			printf("  %-6s %-58s %6.0f  (target: no buffer page, < %d)  %s\n",
			       "MEM", "zx idle pair after use minus fresh, bytes/pair",
			       r->med - f->med, 4096,
			       r->med - f->med < 4096 ? "MET" : "MISSED");
	}
}

/* ----------------------------------------------------------------- main */

static void usage(void)
{
	printf("usage: zxsbench [--reps N] [--ms MS] [--stream-mib M] "
	       "[--stream-reps N]\n"
	       "                [--rtt N] [--msgs N] [--mem-pairs N] "
	       "[--only B1,B2,B3,B4,B5,B6,B9,MEM]\n"
	       "                [--long] [--linux-only] [--csv FILE] [--csv-markers]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "stream-mib", required_argument, NULL, 's' },
		{ "stream-reps", required_argument, NULL, 'S' },
		{ "rtt", required_argument, NULL, 't' },
		{ "msgs", required_argument, NULL, 'g' },
		{ "mem-pairs", required_argument, NULL, 'p' },
		{ "mem-settle", required_argument, NULL, 'T' },
		{ "only", required_argument, NULL, 'o' },
		{ "long", no_argument, NULL, 'l' },
		{ "csv", required_argument, NULL, 'c' },
		{ "csv-markers", no_argument, NULL, 'M' },
		{ "linux-only", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct utsname u;
	double t0 = now_ns();
	int o;

	while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (o) {
		case 'r':
			opt_reps = atoi(optarg);
			break;
		case 'm':
			opt_ms = atof(optarg);
			break;
		case 's':
			opt_stream_bytes = strtoul(optarg, NULL, 0) * MiB;
			break;
		case 'S':
			opt_stream_reps = atoi(optarg);
			break;
		case 't':
			opt_rtt = atoi(optarg);
			break;
		case 'g':
			opt_msgs = atoi(optarg);
			break;
		case 'p':
			opt_mem_pairs = atoi(optarg);
			break;
		case 'T':
			opt_mem_settle = atof(optarg);
			break;
		case 'o':
			opt_only = optarg;
			break;
		case 'l':
			opt_reps = 9;
			opt_ms = 200;
			opt_stream_bytes = 1024 * MiB;
			opt_stream_reps = 5;
			opt_rtt = 10000;
			opt_msgs = 100000;
			break;
		case 'c':
			opt_csv = optarg;
			break;
		case 'M':
			opt_markers = true;
			break;
		case 'L':
			opt_nozx = true;
			break;
		default:
			usage();
			return o == 'h' ? 0 : 2;
		}
	}
	if (opt_reps < 1 || opt_reps > MAXREPS || opt_stream_reps < 1 ||
	    opt_stream_reps > MAXREPS || opt_ms <= 0 || opt_rtt < 100 ||
	    opt_msgs < 1 || opt_mem_pairs < 1 || !opt_stream_bytes) {
		usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	pat_init(256 * KiB);
	uname(&u);
	printf("zxsbench: kernel %s %s, %ld CPUs; reps %d x %.0f ms, stream %zu MiB x %d\n",
	       u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), opt_reps, opt_ms,
	       opt_stream_bytes / MiB, opt_stream_reps);
	printf("vs best: > 1 means better than the best Linux primitive of the row\n");
	if (want("B1"))
		bench_b1();
	if (want("B2"))
		bench_b2();
	if (want("B3"))
		bench_b3();
	if (want("B4"))
		bench_b4();
	if (want("B5"))
		bench_b5();
	if (want("B6"))
		bench_b6();
	if (want("B9"))
		bench_b9();
	if (want("MEM"))
		bench_mem();
	print_targets();
	if (opt_csv) {
		FILE *f = fopen(opt_csv, "w");

		CHECK(f, "%s: %s", opt_csv, strerror(errno));
		write_csv(f);
		fclose(f);
	}
	if (opt_markers) {
		printf("@@ZXSBENCH-CSV-BEGIN\n");
		write_csv(stdout);
		printf("@@ZXSBENCH-CSV-END\n");
	}
	printf("zxsbench: all data verified; %.0f s\n", (now_ns() - t0) / 1e9);
	return 0;
}
