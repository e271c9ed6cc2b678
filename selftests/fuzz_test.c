// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl fuzzing: random and mutated commands, sizes, directions, argument
 * pointers, struct contents and fds thrown at /dev/zxsocket, endpoints and
 * ports from several threads at once.
 *
 * Reproducible: the seed is printed; ZXS_FUZZ_SEED sets it and
 * ZXS_FUZZ_CALLS the number of calls (over all threads).  What is
 * asserted on every call:
 *   - a command the fd does not know gives ENOTTY;
 *   - a known command on an fd with every right, with an argument pointer
 *     that is NULL, a kernel address, unmapped, PROT_NONE or a struct
 *     running off the end of a mapping, gives EFAULT;
 * and, on the debug kernel, vm-run fails the run on any kernel report.
 * A second test checks that every struct the module copies out is fully
 * written (no stale pattern byte, zero padding and reserved fields) and
 * holds no kernel pointer.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>

#include "zxs_raw_util.h"

#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define FUZZ_THREADS		4
#define FUZZ_DEFAULT_CALLS	20000
#define FUZZ_DEFAULT_SEED	0x7a78736fu	/* "zxso" */
#define FUZZ_ARG_MAX		128

/* ------------------------------------------------------------- targets */

enum fd_kind { FD_DEV, FD_EP, FD_EP_WEAK, FD_PORT, FD_OTHER, FD_CLOSED };

struct fuzz_fd {
	int fd;
	enum fd_kind kind;
};

#define FUZZ_MAX_FDS	32

static struct fuzz_fd fuzz_fds[FUZZ_MAX_FDS];
static int fuzz_nfds;
static int fuzz_fd_ceiling;	/* every fd above it was made by a call */

/* Known commands, as the module dispatches them. */
static const unsigned long dev_cmds[] = {
	ZXS_IOC_CREATE, ZXS_IOC_WAIT_MANY, ZXS_IOC_PORT_CREATE,
	ZXS_IOC_WAIT_ASYNC, ZXS_IOC_PORT_CANCEL,
};

static const unsigned long ep_cmds[] = {
	ZXS_IOC_WRITE, ZXS_IOC_READ, ZXS_IOC_SET_DISPOSITION,
	ZXS_IOC_SHUTDOWN, ZXS_IOC_SIGNAL, ZXS_IOC_WAIT_ONE, ZXS_IOC_GET_INFO,
	ZXS_IOC_GET_PROPERTY, ZXS_IOC_SET_PROPERTY, ZXS_IOC_DUPLICATE,
	ZXS_IOC_SHARE, ZXS_IOC_ACCEPT,
};

static const unsigned long port_cmds[] = {
	ZXS_IOC_PORT_QUEUE, ZXS_IOC_PORT_WAIT, ZXS_IOC_DUPLICATE,
	ZXS_IOC_GET_INFO, ZXS_IOC_WAIT_ONE,
	/* socket calls: ENOTSOCK, still known */
	ZXS_IOC_WRITE, ZXS_IOC_READ, ZXS_IOC_SET_DISPOSITION,
	ZXS_IOC_SHUTDOWN, ZXS_IOC_SIGNAL, ZXS_IOC_GET_PROPERTY,
	ZXS_IOC_SET_PROPERTY, ZXS_IOC_SHARE, ZXS_IOC_ACCEPT,
};

#define NCMDS(a)	(sizeof(a) / sizeof((a)[0]))

static bool cmd_known(enum fd_kind kind, unsigned long cmd)
{
	const unsigned long *set;
	size_t i, n;

	switch (kind) {
	case FD_DEV:
		set = dev_cmds;
		n = NCMDS(dev_cmds);
		break;
	case FD_EP:
	case FD_EP_WEAK:
		set = ep_cmds;
		n = NCMDS(ep_cmds);
		break;
	case FD_PORT:
		set = port_cmds;
		n = NCMDS(port_cmds);
		break;
	default:
		return true;	/* not ours: no claim */
	}
	for (i = 0; i < n; i++)
		if (set[i] == cmd)
			return true;
	return false;
}

static void add_fd(int fd, enum fd_kind kind)
{
	if (fd < 0 || fuzz_nfds == FUZZ_MAX_FDS)
		return;
	fuzz_fds[fuzz_nfds].fd = fd;
	fuzz_fds[fuzz_nfds].kind = kind;
	fuzz_nfds++;
	if (kind != FD_CLOSED && fd > fuzz_fd_ceiling)
		fuzz_fd_ceiling = fd;
}

static int setup_fds(void)
{
	struct zxs_port_create pc = { .fd = -1 };
	static const __u32 opts[] = {
		ZXS_STREAM, ZXS_DATAGRAM, ZXS_STREAM | ZXS_HAS_CONTROL,
		ZXS_DATAGRAM | ZXS_HAS_ACCEPT | ZXS_HAS_CONTROL,
	};
	int dev, fds[2], pipefd[2], weak, i;

	dev = zxs_raw_open();
	if (dev < 0)
		return -1;
	add_fd(dev, FD_DEV);
	for (i = 0; i < 4; i++) {
		if (zxs_raw_create(dev, opts[i], ZXS_FD_NONBLOCK, fds))
			return -1;
		add_fd(fds[0], FD_EP);
		add_fd(fds[1], FD_EP);
	}
	if (zxs_raw_duplicate(fds[0], ZXS_RIGHT_READ | ZXS_RIGHT_TRANSFER, 0,
			      &weak))
		return -1;
	add_fd(weak, FD_EP_WEAK);
	for (i = 0; i < 2; i++) {
		if (zxs_ioctl(dev, ZXS_IOC_PORT_CREATE, &pc))
			return -1;
		add_fd(pc.fd, FD_PORT);
	}
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK))
		return -1;
	add_fd(pipefd[0], FD_OTHER);
	add_fd(pipefd[1], FD_OTHER);
	add_fd(open("/dev/null", O_RDWR | O_CLOEXEC), FD_OTHER);
	add_fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), FD_OTHER);
	add_fd(zxs_closed_fd(), FD_CLOSED);
	return 0;
}

/* ------------------------------------------------------------ memories */

static uint8_t *ro_page;	/* read-only, holds plausible structs */
static uint8_t *edge_page;	/* mapped page followed by a PROT_NONE one */
/* Below vm.mmap_min_addr: stays unmapped whatever the threads map. */
static void *const unmapped = (void *)0x1000;

static int setup_memory(void)
{
	size_t ps = zxs_page_size();

	ro_page = mmap(NULL, ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_page == MAP_FAILED)
		return -1;
	memset(ro_page, 0, ps);
	if (mprotect(ro_page, ps, PROT_READ))
		return -1;
	edge_page = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge_page == MAP_FAILED)
		return -1;
	return mprotect(edge_page + ps, ps, PROT_NONE);
}

/* --------------------------------------------------------- generation */

static const uint64_t kernel_ptrs[] = {
	0xffff888000000000ull, 0xffffffff81000000ull, 0xffffc90000000000ull,
	0xffffea0000000000ull, 0xfffffffffffff000ull, 0x8000000000000000ull,
};

enum ptr_class { PTR_GOOD, PTR_RO, PTR_NULL, PTR_KERNEL, PTR_UNMAPPED,
		 PTR_STRADDLE, PTR_NCLASSES };

struct fuzz_thread {
	uint64_t rng;
	int index;
	long calls;
	long efault, enotty, ok;
	atomic_bool done;
	int failures;
	char failure[256];
	uint8_t arg[FUZZ_ARG_MAX] __attribute__((aligned(16)));
	/*
	 * Data buffer: lengths are picked below 4096, but a mutated length
	 * lets a read fill up to a whole queue (rx_buf_max), so the mapping
	 * is larger than any queue.
	 */
	uint8_t *data;
};

#define FUZZ_DATA_LEN	4096
#define FUZZ_DATA_MAP	(4u << 20)

static uint32_t rnd(struct fuzz_thread *t)
{
	return zxs_rand(&t->rng);
}

static uint64_t rnd64(struct fuzz_thread *t)
{
	return (uint64_t)rnd(t) << 32 | rnd(t);
}

static int pick_fd(struct fuzz_thread *t)
{
	uint32_t r = rnd(t) % 16;

	if (r < 12)
		return fuzz_fds[rnd(t) % fuzz_nfds].fd;
	if (r < 14)
		return fuzz_fd_ceiling + 1 + rnd(t) % 8;	/* maybe made */
	return r == 14 ? -1 : (int)rnd(t);
}

/* An interesting 64-bit value for one field. */
static uint64_t pick_value(struct fuzz_thread *t)
{
	switch (rnd(t) % 12) {
	case 0:
		return 0;
	case 1:
		return 1u << (rnd(t) % 32);
	case 2:
		return rnd64(t);
	case 3:
		return (uint64_t)(uintptr_t)t->data;
	case 4:
		return kernel_ptrs[rnd(t) % 6];
	case 5:
		return (uint64_t)(uintptr_t)unmapped;
	case 6:
		return (uint64_t)pick_fd(t);
	case 7:
		return rnd(t) % 4096;
	case 8:
		return ~0ull;
	case 9:
		return 0x7fffffffffffffffull;
	case 10:
		return (uint64_t)(uintptr_t)(edge_page + zxs_page_size() - 8);
	default:
		return rnd(t) % 64;
	}
}

/* Fill the argument buffer: mostly plausible structs, sometimes noise. */
static void fill_arg(struct fuzz_thread *t, unsigned long cmd)
{
	uint8_t *a = t->arg;
	size_t i;

	memset(a, 0, sizeof(t->arg));
	if (rnd(t) % 8 == 0) {
		for (i = 0; i < sizeof(t->arg); i++)
			a[i] = (uint8_t)rnd(t);
		return;
	}
	/* Sensible defaults for the fields most structs share. */
	switch (cmd) {
	case ZXS_IOC_WRITE:
	case ZXS_IOC_READ: {
		struct zxs_io *io = (void *)a;

		io->options = rnd(t) % 4 ? 0 : 1u << (rnd(t) % 5);
		io->buf = (uintptr_t)t->data;
		io->len = rnd(t) % FUZZ_DATA_LEN;
		break;
	}
	case ZXS_IOC_WAIT_MANY: {
		struct zxs_wait_many *wm = (void *)a;

		wm->items = (uintptr_t)t->data;
		wm->count = rnd(t) % 70;
		wm->deadline = zxs_now_ns() + rnd(t) % 1000000;
		for (i = 0; i < 64; i++) {
			struct zxs_wait_item *it = (void *)t->data;

			it[i].fd = pick_fd(t);
			it[i].waitfor = rnd(t);
		}
		break;
	}
	case ZXS_IOC_PORT_WAIT: {
		struct zxs_port_wait *pw = (void *)a;

		pw->deadline = zxs_now_ns() + rnd(t) % 1000000;
		pw->packet = (uintptr_t)t->data;
		break;
	}
	case ZXS_IOC_WAIT_ONE: {
		struct zxs_wait_one *w = (void *)a;

		w->signals = rnd(t);
		w->deadline = zxs_now_ns() + rnd(t) % 1000000;
		break;
	}
	default:
		/* Fds in the first words, small numbers elsewhere. */
		for (i = 0; i < 4; i++)
			((int32_t *)a)[i] = rnd(t) % 2 ? pick_fd(t) :
						(int32_t)(rnd(t) % 32);
		((uint64_t *)a)[2] = (uintptr_t)t->data;
		((uint64_t *)a)[3] = rnd(t) % 256;
		break;
	}
	/* Then mutate a few fields. */
	for (i = rnd(t) % 4; i; i--) {
		size_t off = (rnd(t) % (FUZZ_ARG_MAX / 8)) * 8;
		uint64_t v = pick_value(t);

		if (rnd(t) % 2)
			memcpy(a + off, &v, 8);
		else
			memcpy(a + off + (rnd(t) % 2) * 4, &v, 4);
	}
}

static unsigned long pick_cmd(struct fuzz_thread *t, enum fd_kind kind)
{
	unsigned long cmd, size;
	uint32_t r = rnd(t) % 16;

	if (r < 9) {	/* a known command, mostly of this fd's kind */
		switch (rnd(t) % 2 ? kind : rnd(t) % 3) {
		case FD_DEV:
			return dev_cmds[rnd(t) % NCMDS(dev_cmds)];
		case FD_PORT:
			return port_cmds[rnd(t) % NCMDS(port_cmds)];
		default:
			return ep_cmds[rnd(t) % NCMDS(ep_cmds)];
		}
	}
	cmd = kind == FD_DEV ? dev_cmds[rnd(t) % NCMDS(dev_cmds)] :
			       ep_cmds[rnd(t) % NCMDS(ep_cmds)];
	size = rnd(t) % 2 ? _IOC_SIZE(cmd) : rnd(t) % FUZZ_ARG_MAX;
	switch (r) {
	case 9:		/* another size */
		return _IOC(_IOC_DIR(cmd), ZXS_IOC_MAGIC, _IOC_NR(cmd), size);
	case 10:	/* another direction */
		return _IOC(rnd(t) % 4, ZXS_IOC_MAGIC, _IOC_NR(cmd),
			    _IOC_SIZE(cmd));
	case 11:	/* an unused number with our magic */
		return _IOC(rnd(t) % 4, ZXS_IOC_MAGIC, rnd(t) % 256, size);
	case 12:	/* another magic */
		return _IOC(_IOC_DIR(cmd), rnd(t) % 256, _IOC_NR(cmd),
			    _IOC_SIZE(cmd));
	case 13:	/* one bit flipped */
		return cmd ^ (1ul << (rnd(t) % 32));
	default:	/* anything */
		return rnd(t);
	}
}

static void fail(struct fuzz_thread *t, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	if (t->failures > 1)
		return;
	va_start(ap, fmt);
	vsnprintf(t->failure, sizeof(t->failure), fmt, ap);
	va_end(ap);
}

/* Close whatever a successful call created above the fixed fds. */
static void sweep_fds(void)
{
	int fd;

	for (fd = fuzz_fd_ceiling + 1; fd < fuzz_fd_ceiling + 512; fd++)
		close(fd);
}

static void one_call(struct fuzz_thread *t)
{
	struct fuzz_fd *f = &fuzz_fds[rnd(t) % fuzz_nfds];
	enum ptr_class pc = rnd(t) % 3 ? PTR_GOOD : 1 + rnd(t) % (PTR_NCLASSES - 1);
	unsigned long cmd = pick_cmd(t, f->kind);
	size_t size = _IOC_SIZE(cmd);
	void *p;
	int ret;

	/* Foreign fds only get commands with our magic: no random ioctls. */
	if (f->kind == FD_OTHER && _IOC_TYPE(cmd) != ZXS_IOC_MAGIC)
		cmd = ep_cmds[rnd(t) % NCMDS(ep_cmds)];
	fill_arg(t, cmd);
	/* The part of a straddling struct that is mapped: 1..127 bytes. */
	if (size < 2 || size > FUZZ_ARG_MAX)
		size = FUZZ_ARG_MAX;
	switch (pc) {
	case PTR_GOOD:
		p = t->arg;
		break;
	case PTR_RO:
		p = ro_page + (rnd(t) % 4) * 64;
		break;
	case PTR_NULL:
		p = NULL;
		break;
	case PTR_KERNEL:
		p = (void *)(uintptr_t)kernel_ptrs[rnd(t) % 6];
		break;
	case PTR_UNMAPPED:
		p = unmapped;
		break;
	default:	/* the struct runs into the PROT_NONE page */
		p = edge_page + zxs_page_size() - 1 - rnd(t) % (size - 1);
		memcpy(p, t->arg, edge_page + zxs_page_size() - (uint8_t *)p);
		break;
	}
	ret = ioctl(f->fd, cmd, p) ? -errno : 0;
	t->calls++;
	if (ret == -EFAULT)
		t->efault++;
	else if (ret == -ENOTTY)
		t->enotty++;
	else if (!ret)
		t->ok++;

	if ((f->kind == FD_DEV || f->kind == FD_EP || f->kind == FD_PORT) &&
	    !cmd_known(f->kind, cmd) && ret != -ENOTTY)
		fail(t, "fd kind %d cmd %#lx (unknown): %d, not ENOTTY",
		     f->kind, cmd, ret);
	if ((f->kind == FD_DEV || f->kind == FD_EP || f->kind == FD_PORT) &&
	    cmd_known(f->kind, cmd) && pc >= PTR_NULL && ret != -EFAULT &&
	    /* the socket calls on a port fail by type before copying */
	    !(f->kind == FD_PORT && ret == -ENOTSOCK) &&
	    !(f->kind == FD_PORT && cmd == ZXS_IOC_WAIT_ONE))
		fail(t, "fd kind %d cmd %#lx, pointer class %d: %d, not EFAULT",
		     f->kind, cmd, pc, ret);
}

static atomic_long fuzz_remaining;

static void *fuzz_main(void *arg)
{
	struct fuzz_thread *t = arg;

	while (atomic_fetch_sub(&fuzz_remaining, 1) > 0) {
		one_call(t);
		if (t->index == 0 && !(t->calls % 256))
			sweep_fds();
	}
	atomic_store(&t->done, true);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static unsigned long long env_number(const char *name,
				     unsigned long long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}

TEST(random_ioctls_from_many_threads)
{
	struct fuzz_thread *threads;
	struct sigaction sa;
	bool running;
	pthread_t tid[FUZZ_THREADS];
	unsigned long long seed = env_number("ZXS_FUZZ_SEED",
					     FUZZ_DEFAULT_SEED);
	long calls = env_number("ZXS_FUZZ_CALLS", FUZZ_DEFAULT_CALLS);
	long total = 0, efault = 0, enotty = 0, ok = 0;
	int i, failures = 0;

	ASSERT_EQ(0, setup_fds());
	ASSERT_EQ(0, setup_memory());
	TH_LOG("seed %#llx (ZXS_FUZZ_SEED), %ld calls (ZXS_FUZZ_CALLS), %d threads",
	       seed, calls, FUZZ_THREADS);

	/* Waits with long deadlines are cut short by a signal (no restart). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	/* Writes to the pipe and SIGPIPE from EPIPE are expected noise. */
	signal(SIGPIPE, SIG_IGN);

	threads = calloc(FUZZ_THREADS, sizeof(*threads));
	ASSERT_NE(NULL, threads);
	atomic_store(&fuzz_remaining, calls);
	for (i = 0; i < FUZZ_THREADS; i++) {
		threads[i].rng = seed * 0x9e3779b97f4a7c15ull + i;
		threads[i].index = i;
		threads[i].data = mmap(NULL, FUZZ_DATA_MAP,
				       PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, threads[i].data);
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, fuzz_main,
					    &threads[i]));
	}
	do {
		zxs_sleep_ns(20 * ZXS_NSEC_PER_MSEC);
		running = false;
		for (i = 0; i < FUZZ_THREADS; i++) {
			if (atomic_load(&threads[i].done))
				continue;
			running = true;
			pthread_kill(tid[i], SIGALRM);
		}
	} while (running);
	for (i = 0; i < FUZZ_THREADS; i++) {
		pthread_join(tid[i], NULL);
		total += threads[i].calls;
		efault += threads[i].efault;
		enotty += threads[i].enotty;
		ok += threads[i].ok;
		failures += threads[i].failures;
		munmap(threads[i].data, FUZZ_DATA_MAP);
		if (threads[i].failures)
			TH_LOG("thread %d: %d failures, first: %s", i,
			       threads[i].failures, threads[i].failure);
	}
	sweep_fds();

	TH_LOG("%ld calls: %ld succeeded, %ld EFAULT, %ld ENOTTY, %ld other errors",
	       total, ok, efault, enotty, total - ok - efault - enotty);
	printf("# fuzz: seed %#llx calls %ld\n", seed, total);
	EXPECT_EQ(calls, total);
	EXPECT_EQ(0, failures);

	/* The fixed sockets still answer. */
	for (i = 0; i < fuzz_nfds; i++) {
		struct zxs_info_handle_basic b;

		if (fuzz_fds[i].kind == FD_EP)
			EXPECT_EQ(0, zxs_raw_info_basic(fuzz_fds[i].fd, &b));
	}
	free(threads);
}

/* ------------------------------------------- fully initialised outputs */

#define STALE	0xa5

static bool looks_like_kernel_pointer(uint64_t v)
{
	return v >= 0xffff800000000000ull && v != ~0ull;
}

/* No stale byte and no kernel pointer in @len bytes at @p. */
static int check_out(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;
	uint64_t w;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, b + i, 8);
		if (w == 0xa5a5a5a5a5a5a5a5ull)
			return -1;
		if (looks_like_kernel_pointer(w))
			return -2;
	}
	return 0;
}

/* 0 if /proc/self/fdinfo/@fd shows no 64-bit kernel address. */
static int fdinfo_clean(int fd)
{
	char path[64], buf[4096], *p;
	int f;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (p = buf; (p = strstr(p, "ffff")); p++) {
		if (strspn(p, "0123456789abcdef") >= 16)
			return -2;
	}
	return 0;
}

TEST(every_struct_copied_out_is_fully_written)
{
	struct zxs_info_handle_basic basic;
	struct zxs_info_socket sock;
	struct zxs_port_create pc;
	struct zxs_port_packet pkt;
	struct zxs_port_wait pw;
	struct zxs_wait_async wa;
	struct zxs_create cr;
	struct zxs_duplicate dup;
	struct zxs_wait_one w;
	struct zxs_info in;
	int dev, port;

	dev = zxs_raw_open();
	ASSERT_LE(0, dev);

	memset(&cr, STALE, sizeof(cr));
	cr.options = ZXS_DATAGRAM;
	cr.flags = 0;
	ASSERT_EQ(0, zxs_ioctl(dev, ZXS_IOC_CREATE, &cr));
	EXPECT_LE(0, cr.fds[0]);
	EXPECT_LE(0, cr.fds[1]);

	memset(&basic, STALE, sizeof(basic));
	ASSERT_EQ(0, zxs_raw_info_basic(cr.fds[0], &basic));
	EXPECT_EQ(0, check_out(&basic, sizeof(basic)));
	EXPECT_EQ(0, basic.reserved);
	EXPECT_EQ(0, basic.padding[0] | basic.padding[1] | basic.padding[2] |
		     basic.padding[3]);

	memset(&sock, STALE, sizeof(sock));
	ASSERT_EQ(0, zxs_raw_info_socket(cr.fds[0], &sock));
	EXPECT_EQ(0, check_out(&sock, sizeof(sock)));
	EXPECT_EQ(0, sock.padding[0] | sock.padding[1] | sock.padding[2] |
		     sock.padding[3]);

	/* The info call's own struct: actual and avail written, no more. */
	memset(&in, 0, sizeof(in));
	in.topic = ZXS_INFO_SOCKET;
	in.buffer = (uintptr_t)&sock;
	in.buffer_size = sizeof(sock);
	ASSERT_EQ(0, zxs_ioctl(cr.fds[0], ZXS_IOC_GET_INFO, &in));
	EXPECT_EQ(0, check_out(&in, sizeof(in)));

	memset(&dup, STALE, sizeof(dup));
	dup.rights = ZXS_RIGHT_SAME_RIGHTS;
	dup.flags = 0;
	dup.reserved = 0;
	ASSERT_EQ(0, zxs_ioctl(cr.fds[0], ZXS_IOC_DUPLICATE, &dup));
	EXPECT_LE(0, dup.fd);
	close(dup.fd);

	memset(&pc, 0, sizeof(pc));
	ASSERT_EQ(0, zxs_ioctl(dev, ZXS_IOC_PORT_CREATE, &pc));
	port = pc.fd;
	EXPECT_EQ(0, pc.reserved);
	memset(&basic, STALE, sizeof(basic));
	ASSERT_EQ(0, zxs_raw_info_basic(port, &basic));
	EXPECT_EQ(0, check_out(&basic, sizeof(basic)));
	EXPECT_EQ(0, basic.reserved);

	/* A signal packet: reserved payload word zero, nothing stale. */
	memset(&wa, 0, sizeof(wa));
	wa.fd = cr.fds[0];
	wa.port = port;
	wa.key = 7;
	wa.signals = ZXS_SIGNAL_WRITABLE;
	ASSERT_EQ(0, zxs_ioctl(dev, ZXS_IOC_WAIT_ASYNC, &wa));
	memset(&pkt, STALE, sizeof(pkt));
	pw.deadline = 0;
	pw.packet = (uintptr_t)&pkt;
	ASSERT_EQ(0, zxs_ioctl(port, ZXS_IOC_PORT_WAIT, &pw));
	EXPECT_EQ(0, check_out(&pkt, sizeof(pkt)));
	EXPECT_EQ(ZXS_PKT_TYPE_SIGNAL_ONE, pkt.type);
	EXPECT_EQ(0, pkt.payload[2]);	/* no timestamp asked for */
	EXPECT_EQ(0, pkt.payload[3]);

	/* A wait that times out still writes observed. */
	memset(&w, STALE, sizeof(w));
	w.signals = 0;
	w.deadline = 0;
	EXPECT_EQ(-ETIMEDOUT, zxs_ioctl(cr.fds[0], ZXS_IOC_WAIT_ONE, &w));
	EXPECT_EQ(0, check_out(&w, sizeof(w)));
	/* fdinfo is text: no kernel address in it either. */
	EXPECT_EQ(0, fdinfo_clean(cr.fds[0]));
	EXPECT_EQ(0, fdinfo_clean(port));
	EXPECT_EQ(0, fdinfo_clean(dev));
	close(port);
	close(cr.fds[0]);
	close(cr.fds[1]);
	close(dev);
}

TEST_HARNESS_MAIN
