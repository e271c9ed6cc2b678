// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (debug kernel): a fail-nth sweep over every call that
 * allocates.  For n = 1, 2, ... the nth fault-injection point (slab
 * allocation, page allocation or user copy) of one call fails, until the
 * call passes fewer than n points.  Each injected failure must give
 * ENOMEM (ZX_ERR_NO_MEMORY), EFAULT (a failed copy of the argument struct)
 * or, for a failed copy of a data buffer, EINVAL (both ZX_ERR_INVALID_ARGS)
 * - or success, when the failure hit something optional - and leave the
 * socket exactly as it was (bytes, signals, fds) and usable afterwards.
 * vm-run checks kmemleak after the run.
 *
 * Skips where the kernel has no fault injection (the Debian kernels).
 */
#include <sys/ioctl.h>

#include "zxs_fault_util.h"
#include "zxs_raw_util.h"

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define SWEEP_MAX	2000	/* no call here passes this many points */

struct sweep {
	int dev;
	int fds[2];
	int port;
	int extra;		/* an fd a call may consume or create */
	int free_fd;		/* lowest free fd before the call */
	uint8_t data[3 * 4096];
	uint8_t back[3 * 4096];
	__u64 len;
	__u64 off;		/* bytes of s->data queued before the call */
	__u32 options;
	unsigned int enomem, efault, einval, ok;
	char failure[200];
};

static int setup_pair(struct sweep *s, __u32 options)
{
	s->off = 0;
	s->options = options;
	s->port = -1;
	s->extra = -1;
	return zxs_raw_create(s->dev, options, ZXS_FD_NONBLOCK, s->fds);
}

static void close_all(struct sweep *s)
{
	close(s->fds[0]);
	close(s->fds[1]);
	if (s->port >= 0)
		close(s->port);
	if (s->extra >= 0)
		close(s->extra);
}

/*
 * Count what an injected failure gave; anything else is a failure.  EINVAL
 * is allowed only where @einval_ok says a data buffer was copied.
 */
static bool classify(struct sweep *s, int ret, bool einval_ok)
{
	switch (ret) {
	case 0:
		s->ok++;
		return true;
	case -ENOMEM:
		s->enomem++;
		return true;
	case -EFAULT:
		s->efault++;
		return true;
	case -EINVAL:
		if (!einval_ok)
			break;
		s->einval++;
		return true;
	}
	snprintf(s->failure, sizeof(s->failure), "status %d", ret);
	return false;
}

/* The pair holds @queued bytes from s->data (or none) and works. */
static bool pair_consistent(struct sweep *s, __u64 queued)
{
	__u32 sig = zxs_raw_signals(s->fds[1]);
	__u64 actual = 0;

	if (zxs_raw_queued(s->fds[1]) != (long long)queued) {
		snprintf(s->failure, sizeof(s->failure),
			 "%lld bytes queued, expected %llu",
			 zxs_raw_queued(s->fds[1]),
			 (unsigned long long)queued);
		return false;
	}
	if (!!(sig & ZXS_SIGNAL_READABLE) != !!queued ||
	    !(zxs_raw_signals(s->fds[0]) & ZXS_SIGNAL_WRITABLE)) {
		snprintf(s->failure, sizeof(s->failure), "signals %#x / %#x",
			 zxs_raw_signals(s->fds[0]), sig);
		return false;
	}
	if (queued &&
	    (zxs_raw_read(s->fds[1], 0, s->back, sizeof(s->back), &actual) ||
	     actual != queued || memcmp(s->back, s->data, queued))) {
		snprintf(s->failure, sizeof(s->failure), "data read back wrong");
		return false;
	}
	/* Usable: one more write and read. */
	if (zxs_raw_write(s->fds[0], 0, "z", 1, NULL) ||
	    zxs_raw_read(s->fds[1], 0, s->back, 1, &actual) || actual != 1 ||
	    s->back[0] != 'z') {
		snprintf(s->failure, sizeof(s->failure), "pair unusable");
		return false;
	}
	return true;
}

/*
 * The sweep: @prepare (not injected) sets up state, @call is injected,
 * @check judges the outcome.  Returns the number of injected faults, or
 * -1 with s->failure set.
 */
typedef int (*prepare_fn)(struct sweep *s);
typedef int (*call_fn)(struct sweep *s);
typedef bool (*check_fn)(struct sweep *s, int ret);

static int sweep_run(struct zxs_fault *f, struct sweep *s, prepare_fn prepare,
		     call_fn call, check_fn check)
{
	unsigned int n, before = f->fired;
	bool fired;
	int ret;

	/* A dry run first: every page the call touches is now present. */
	if (prepare(s))
		return -2;
	ret = call(s);
	if (!check(s, ret) || ret)
		return -1;
	close_all(s);

	for (n = 1; n < SWEEP_MAX; n++) {
		if (prepare(s))
			return -2;
		s->free_fd = zxs_lowest_free_fd();
		zxs_fault_arm(f, n);
		ret = call(s);
		fired = zxs_fault_fired(f);
		if (!check(s, ret)) {
			char what[240];

			snprintf(what, sizeof(what), "n=%u: %s", n, s->failure);
			strcpy(s->failure, what);
			close_all(s);
			return -1;
		}
		close_all(s);
		if (!fired)
			break;
	}
	return f->fired - before;
}

/* ---------------------------------------------------------- the calls */

static int prep_plain(struct sweep *s)
{
	return setup_pair(s, ZXS_STREAM);
}

static int do_create(struct sweep *s)
{
	int fds[2] = { -1, -1 };
	int ret = zxs_raw_create(s->dev, ZXS_DATAGRAM | ZXS_HAS_CONTROL, 0,
				 fds);

	s->port = fds[0];
	s->extra = fds[1];
	return ret;
}

static bool check_create(struct sweep *s, int ret)
{
	if (!classify(s, ret, false))
		return false;
	if (ret && zxs_lowest_free_fd() != s->free_fd) {
		snprintf(s->failure, sizeof(s->failure), "failed create leaked an fd");
		return false;
	}
	if (!ret && (zxs_raw_write(s->port, 0, "x", 1, NULL) ||
		     zxs_raw_queued(s->extra) != 1)) {
		snprintf(s->failure, sizeof(s->failure), "new pair unusable");
		return false;
	}
	return pair_consistent(s, 0);
}

/*
 * Stream and datagram writes: about 3 pages, so several chunks are taken.
 * The stream already holds 100 bytes, so a failed write must also put the
 * tail of a partly used chunk back where it was.
 */
static int prep_stream_prefilled(struct sweep *s)
{
	if (setup_pair(s, ZXS_STREAM))
		return -1;
	zxs_pattern_fill(s->data, sizeof(s->data), 1, 0);
	s->off = 100;
	s->len = sizeof(s->data) - s->off;
	return zxs_raw_write(s->fds[0], 0, s->data, s->off, NULL);
}

static int prep_dgram(struct sweep *s)
{
	if (setup_pair(s, ZXS_DATAGRAM))
		return -1;
	s->len = sizeof(s->data) - 100;
	zxs_pattern_fill(s->data, sizeof(s->data), 2, 0);
	return 0;
}

static int do_write(struct sweep *s)
{
	return zxs_raw_write(s->fds[0], 0, s->data + s->off, s->len, NULL);
}

static bool check_write(struct sweep *s, int ret)
{
	if (!classify(s, ret, true))
		return false;
	return pair_consistent(s, s->off + (ret ? 0 : s->len));
}

/* write(2) takes the same queue path through another entry point. */
static int do_write_syscall(struct sweep *s)
{
	return write(s->fds[0], s->data + s->off, s->len) < 0 ? -errno : 0;
}

static bool check_write_syscall(struct sweep *s, int ret)
{
	/* write(2) reports a failed copy as EFAULT, not EINVAL */
	return check_write(s, ret);
}

static int prep_control(struct sweep *s)
{
	if (setup_pair(s, ZXS_STREAM | ZXS_HAS_CONTROL))
		return -1;
	s->len = 1024;
	zxs_pattern_fill(s->data, s->len, 3, 0);
	return 0;
}

static int do_control(struct sweep *s)
{
	return zxs_raw_write(s->fds[0], ZXS_CONTROL, s->data, s->len, NULL);
}

static bool check_control(struct sweep *s, int ret)
{
	__u32 sig = zxs_raw_signals(s->fds[1]);
	__u64 actual = 0;

	if (!classify(s, ret, true))
		return false;
	if (!!(sig & ZXS_SIGNAL_CONTROL_READABLE) != !ret ||
	    !!(zxs_raw_signals(s->fds[0]) & ZXS_SIGNAL_CONTROL_WRITABLE) ==
	    !ret) {
		snprintf(s->failure, sizeof(s->failure),
			 "control signals %#x after %d", sig, ret);
		return false;
	}
	if (ret && do_control(s))
		return false;
	if (zxs_raw_read(s->fds[1], ZXS_CONTROL, s->back, sizeof(s->back),
			 &actual) || actual != s->len ||
	    memcmp(s->back, s->data, s->len)) {
		snprintf(s->failure, sizeof(s->failure), "control message wrong");
		return false;
	}
	return pair_consistent(s, 0);
}

/* zx_socket_share: fds[0..1] HAS_ACCEPT, extra = an endpoint to share. */
static int prep_share(struct sweep *s)
{
	int other[2];

	if (setup_pair(s, ZXS_STREAM | ZXS_HAS_ACCEPT))
		return -1;
	if (zxs_raw_create(s->dev, 0, 0, other))
		return -1;
	close(other[1]);
	s->extra = other[0];
	return 0;
}

static int do_share(struct sweep *s)
{
	struct zxs_share sh = { .fd = s->extra };

	return zxs_ioctl(s->fds[0], ZXS_IOC_SHARE, &sh);
}

static bool check_share(struct sweep *s, int ret)
{
	struct zxs_accept acc = { .flags = 0, .fd = -1 };

	if (!classify(s, ret, false))
		return false;
	if (!!(zxs_raw_signals(s->fds[1]) & ZXS_SIGNAL_ACCEPT) != !ret) {
		snprintf(s->failure, sizeof(s->failure), "ACCEPT after %d", ret);
		return false;
	}
	if (ret && do_share(s))
		return false;
	if (zxs_ioctl(s->fds[1], ZXS_IOC_ACCEPT, &acc) || acc.fd < 0) {
		snprintf(s->failure, sizeof(s->failure), "accept failed");
		return false;
	}
	close(acc.fd);
	return pair_consistent(s, 0);
}

/* zx_socket_accept, injected. */
static int prep_accept(struct sweep *s)
{
	if (prep_share(s) || do_share(s))
		return -1;
	s->port = -1;
	return 0;
}

static int do_accept(struct sweep *s)
{
	struct zxs_accept acc = { .flags = 0, .fd = -1 };
	int ret = zxs_ioctl(s->fds[1], ZXS_IOC_ACCEPT, &acc);

	if (!ret)
		s->port = acc.fd;	/* closed by close_all() */
	return ret;
}

static bool check_accept(struct sweep *s, int ret)
{
	if (!classify(s, ret, false))
		return false;
	if (ret && zxs_lowest_free_fd() != s->free_fd) {
		snprintf(s->failure, sizeof(s->failure), "failed accept leaked an fd");
		return false;
	}
	/* A failed accept leaves the shared endpoint queued. */
	if (!!(zxs_raw_signals(s->fds[1]) & ZXS_SIGNAL_ACCEPT) != !!ret) {
		snprintf(s->failure, sizeof(s->failure), "ACCEPT after %d", ret);
		return false;
	}
	if (ret && do_accept(s))
		return false;
	return pair_consistent(s, 0);
}

/* zx_handle_duplicate and zx_handle_replace. */
static int do_dup(struct sweep *s)
{
	return zxs_raw_duplicate(s->fds[0], ZXS_RIGHT_WRITE | ZXS_RIGHT_WAIT,
				 0, &s->extra);
}

static int do_replace(struct sweep *s)
{
	return zxs_raw_duplicate(s->fds[0], ZXS_RIGHT_WRITE | ZXS_RIGHT_WAIT,
				 ZXS_DUP_REPLACE, &s->extra);
}

static bool check_dup(struct sweep *s, int ret)
{
	struct zxs_info_handle_basic b;

	if (!classify(s, ret, false))
		return false;
	if (ret) {
		s->extra = -1;
		if (zxs_lowest_free_fd() != s->free_fd) {
			snprintf(s->failure, sizeof(s->failure),
				 "failed duplicate leaked an fd");
			return false;
		}
	} else if (zxs_raw_info_basic(s->extra, &b) ||
		   b.rights != (ZXS_RIGHT_WRITE | ZXS_RIGHT_WAIT)) {
		snprintf(s->failure, sizeof(s->failure), "duplicate's rights wrong");
		return false;
	}
	if (zxs_raw_info_basic(s->fds[0], &b) || b.rights != ZXS_DEFAULT_RIGHTS) {
		snprintf(s->failure, sizeof(s->failure), "original's rights changed");
		return false;
	}
	return pair_consistent(s, 0);
}

/* Ports: create, wait_async, queue. */
static int do_port_create(struct sweep *s)
{
	struct zxs_port_create pc = { .fd = -1 };
	int ret = zxs_ioctl(s->dev, ZXS_IOC_PORT_CREATE, &pc);

	if (!ret)
		s->port = pc.fd;
	return ret;
}

static bool port_empty(int port)
{
	struct zxs_port_packet pkt;
	struct zxs_port_wait pw = { .deadline = 0,
				    .packet = (uintptr_t)&pkt };

	return zxs_ioctl(port, ZXS_IOC_PORT_WAIT, &pw) == -ETIMEDOUT;
}

static bool check_port_create(struct sweep *s, int ret)
{
	if (!classify(s, ret, false))
		return false;
	if (ret && zxs_lowest_free_fd() != s->free_fd) {
		snprintf(s->failure, sizeof(s->failure), "failed port create leaked an fd");
		return false;
	}
	if (!ret && !port_empty(s->port)) {
		snprintf(s->failure, sizeof(s->failure), "new port not empty");
		return false;
	}
	return pair_consistent(s, 0);
}

static int prep_port(struct sweep *s)
{
	if (setup_pair(s, ZXS_STREAM))
		return -1;
	return do_port_create(s);
}

static int do_wait_async(struct sweep *s)
{
	struct zxs_wait_async wa = { .fd = s->fds[1], .port = s->port,
				     .key = 5,
				     .signals = ZXS_SIGNAL_READABLE };

	return zxs_ioctl(s->dev, ZXS_IOC_WAIT_ASYNC, &wa);
}

static bool check_wait_async(struct sweep *s, int ret)
{
	struct zxs_port_packet pkt;
	struct zxs_port_wait pw = { .deadline = 0,
				    .packet = (uintptr_t)&pkt };

	if (!classify(s, ret, false))
		return false;
	if (ret && do_wait_async(s))
		return false;
	/* Armed exactly once: a write fires it, one packet. */
	if (zxs_raw_write(s->fds[0], 0, "y", 1, NULL) ||
	    zxs_ioctl(s->port, ZXS_IOC_PORT_WAIT, &pw) || pkt.key != 5 ||
	    !port_empty(s->port)) {
		snprintf(s->failure, sizeof(s->failure), "wait_async not armed once");
		return false;
	}
	s->data[0] = 'y';
	return pair_consistent(s, 1);
}

static int do_port_queue(struct sweep *s)
{
	struct zxs_port_packet pkt = { .key = 9, .payload = { 1, 2, 3, 4 } };

	return zxs_ioctl(s->port, ZXS_IOC_PORT_QUEUE, &pkt);
}

static bool check_port_queue(struct sweep *s, int ret)
{
	struct zxs_port_packet pkt;
	struct zxs_port_wait pw = { .deadline = 0,
				    .packet = (uintptr_t)&pkt };

	if (!classify(s, ret, false))
		return false;
	if (ret && !port_empty(s->port)) {
		snprintf(s->failure, sizeof(s->failure), "failed queue left a packet");
		return false;
	}
	if (ret && do_port_queue(s))
		return false;
	if (zxs_ioctl(s->port, ZXS_IOC_PORT_WAIT, &pw) || pkt.key != 9 ||
	    pkt.payload[3] != 4 || !port_empty(s->port)) {
		snprintf(s->failure, sizeof(s->failure), "queued packet wrong");
		return false;
	}
	return pair_consistent(s, 0);
}

/* wait_many allocates its item arrays. */
static int do_wait_many(struct sweep *s)
{
	struct zxs_wait_item items[8];
	struct zxs_wait_many wm = { .items = (uintptr_t)items, .count = 8,
				    .deadline = 0 };
	int i;

	for (i = 0; i < 8; i++) {
		items[i].fd = s->fds[i & 1];
		items[i].waitfor = ZXS_SIGNAL_WRITABLE;
		items[i].pending = 0;
	}
	return zxs_ioctl(s->dev, ZXS_IOC_WAIT_MANY, &wm);
}

static bool check_wait_many(struct sweep *s, int ret)
{
	if (!classify(s, ret, false))
		return false;
	return pair_consistent(s, 0);
}

/* The other endpoint ioctls allocate nothing, but copy: one sweep each. */
static int do_info(struct sweep *s)
{
	struct zxs_info_socket info;

	return zxs_raw_info_socket(s->fds[0], &info);
}

/* A failed copy of the info record itself is EINVAL (documented). */
static bool check_info(struct sweep *s, int ret)
{
	if (!classify(s, ret, true))
		return false;
	return pair_consistent(s, 0);
}

static int do_signal(struct sweep *s)
{
	struct zxs_signal sg = { .clear = 0, .set = 1u << 24,
				 .flags = ZXS_SIGNAL_TO_PEER };

	return zxs_ioctl(s->fds[0], ZXS_IOC_SIGNAL, &sg);
}

static bool check_signal(struct sweep *s, int ret)
{
	if (!classify(s, ret, false))
		return false;
	if (!!(zxs_raw_signals(s->fds[1]) & (1u << 24)) != !ret) {
		snprintf(s->failure, sizeof(s->failure), "user signal after %d", ret);
		return false;
	}
	return pair_consistent(s, 0);
}

static int do_property(struct sweep *s)
{
	struct zxs_property p = { .property = ZXS_PROP_SOCKET_RX_THRESHOLD,
				  .size = 8, .value = 10 };

	return zxs_ioctl(s->fds[1], ZXS_IOC_SET_PROPERTY, &p);
}

/* ---------------------------------------------------------- the tests */

FIXTURE(faults) {
	struct zxs_fault f;
	struct sweep *s;
};

FIXTURE_SETUP(faults)
{
	const char *missing = zxs_fault_missing();

	self->s = NULL;
	self->f.nth_fd = -1;
	if (missing)
		SKIP(return, "%s", missing);
	ASSERT_EQ(0, zxs_fault_setup(&self->f));
	self->s = calloc(1, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	self->s->dev = zxs_raw_open();
	ASSERT_LE(0, self->s->dev);
}

FIXTURE_TEARDOWN(faults)
{
	if (self->s) {
		close(self->s->dev);
		free(self->s);
	}
	if (self->f.nth_fd >= 0)
		zxs_fault_teardown(&self->f);
}

#define SWEEP(prep, call, check, min_enomem)				\
	do {								\
		struct sweep *s = self->s;				\
		int injected = sweep_run(&self->f, s, prep, call, check); \
									\
		ASSERT_LT(0, injected) TH_LOG("%s", s->failure);	\
		TH_LOG("%d faults injected: %u ENOMEM, %u EFAULT, %u EINVAL, %u succeeded", \
		       injected, s->enomem, s->efault, s->einval, s->ok); \
		printf("# faults injected: %d\n", injected);		\
		EXPECT_LE(min_enomem, s->enomem);			\
	} while (0)

TEST_F(faults, create)
{
	SWEEP(prep_plain, do_create, check_create, 1);
}

TEST_F(faults, stream_write)
{
	SWEEP(prep_stream_prefilled, do_write, check_write, 1);
}

TEST_F(faults, datagram_write)
{
	SWEEP(prep_dgram, do_write, check_write, 1);
}

TEST_F(faults, write_syscall)
{
	SWEEP(prep_stream_prefilled, do_write_syscall, check_write_syscall, 1);
}

TEST_F(faults, control_write)
{
	SWEEP(prep_control, do_control, check_control, 1);
}

TEST_F(faults, share)
{
	SWEEP(prep_share, do_share, check_share, 0);
}

TEST_F(faults, accept)
{
	SWEEP(prep_accept, do_accept, check_accept, 0);
}

TEST_F(faults, duplicate)
{
	SWEEP(prep_plain, do_dup, check_dup, 1);
}

TEST_F(faults, replace)
{
	SWEEP(prep_plain, do_replace, check_dup, 1);
}

TEST_F(faults, port_create)
{
	SWEEP(prep_plain, do_port_create, check_port_create, 1);
}

TEST_F(faults, wait_async)
{
	SWEEP(prep_port, do_wait_async, check_wait_async, 1);
}

TEST_F(faults, port_queue)
{
	SWEEP(prep_port, do_port_queue, check_port_queue, 1);
}

TEST_F(faults, wait_many)
{
	SWEEP(prep_plain, do_wait_many, check_wait_many, 1);
}

TEST_F(faults, get_info)
{
	SWEEP(prep_plain, do_info, check_info, 0);
}

TEST_F(faults, signal_peer)
{
	SWEEP(prep_plain, do_signal, check_signal, 0);
}

TEST_F(faults, set_property)
{
	SWEEP(prep_plain, do_property, check_wait_many, 0);
}

TEST_HARNESS_MAIN
