// SPDX-License-Identifier: GPL-2.0
/*
 * socket_test: Zircon socket semantics through libzxsocket's zx_* API,
 * following docs/zircon-socket-semantics.md sections 1-4: every call's
 * rows and error order, and every transition of the signal state machine.
 *
 * Tests that apply to both socket types run on the "sock" fixture, once
 * as a stream and once as a datagram socket.  Signal checks compare the
 * whole signal word, so a stray bit fails as surely as a missing one.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>

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
#define WD	ZX_SOCKET_WRITE_DISABLED
#define PWD	ZX_SOCKET_PEER_WRITE_DISABLED
#define RT	ZX_SOCKET_READ_THRESHOLD
#define WT	ZX_SOCKET_WRITE_THRESHOLD

FIXTURE(sock)
{
	zx_handle_t h[2];
	size_t cap;
	bool datagram;
};

FIXTURE_VARIANT(sock)
{
	uint32_t options;
};

FIXTURE_VARIANT_ADD(sock, stream)
{
	.options = ZX_SOCKET_STREAM,
};

FIXTURE_VARIANT_ADD(sock, datagram)
{
	.options = ZX_SOCKET_DATAGRAM,
};

FIXTURE_SETUP(sock)
{
	ASSERT_EQ(ZX_OK, zx_socket_create(variant->options, &self->h[0],
					  &self->h[1]));
	self->datagram = variant->options & ZX_SOCKET_DATAGRAM;
	self->cap = zxs_capacity(self->h[0]);
	/* Tests below write a few hundred bytes and assume they fit. */
	ASSERT_LE(4096, self->cap);
	ASSERT_EQ(self->cap, zxs_capacity(self->h[1]));
}

FIXTURE_TEARDOWN(sock)
{
	zxs_close(&self->h[0]);
	zxs_close(&self->h[1]);
}

static zx_status_t write_str(zx_handle_t h, const char *s)
{
	size_t actual = 0;
	zx_status_t st = zx_socket_write(h, 0, s, strlen(s), &actual);

	if (st == ZX_OK && actual != strlen(s))
		return ZX_ERR_INTERNAL;
	return st;
}

/* ======================================================== create */

TEST(create_rejects_unknown_options)
{
	static const uint32_t bad[] = {
		1u << 3, 1u << 4, 1u << 31,
		ZX_SOCKET_DATAGRAM | (1u << 3),
		ZX_SOCKET_CREATE_MASK + 1,
	};
	zx_handle_t a, b;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		a = b = 0x5a5a;
		EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_create(bad[i], &a, &b))
			TH_LOG("options %#x", bad[i]);
		/* Out parameters are written only on success. */
		EXPECT_EQ(0x5a5a, a);
		EXPECT_EQ(0x5a5a, b);
	}
}

TEST(create_every_valid_option_set_and_initial_signals)
{
	uint32_t options;

	for (options = 0; options <= ZX_SOCKET_CREATE_MASK; options++) {
		zx_signals_t expect = W;
		zx_info_socket_t info;
		zx_handle_t h[2];
		int i;

		if (options & ZX_SOCKET_HAS_ACCEPT)
			expect |= ZX_SOCKET_SHARE;
		if (options & ZX_SOCKET_HAS_CONTROL)
			expect |= ZX_SOCKET_CONTROL_WRITABLE;
		ASSERT_EQ(ZX_OK, zx_socket_create(options, &h[0], &h[1]))
			TH_LOG("options %#x", options);
		for (i = 0; i < 2; i++) {
			EXPECT_EQ(expect, zxs_signals(h[i]))
				TH_LOG("options %#x end %d", options, i);
			ASSERT_EQ(ZX_OK, zxs_info(h[i], &info));
			EXPECT_EQ(options, info.options);
		}
		/* Close only after both are checked: a close is a peer death. */
		zx_handle_close(h[0]);
		zx_handle_close(h[1]);
	}
}

TEST_F(sock, create_both_ends_writable_and_nothing_else)
{
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, create_gives_default_rights)
{
	EXPECT_EQ(0x0010F0CFu, ZX_DEFAULT_SOCKET_RIGHTS);
	EXPECT_EQ(ZX_DEFAULT_SOCKET_RIGHTS, zxs_rights(self->h[0]));
	EXPECT_EQ(ZX_DEFAULT_SOCKET_RIGHTS, zxs_rights(self->h[1]));
}

TEST_F(sock, create_koids_distinct_and_related_crossed)
{
	zx_info_handle_basic_t b0, b1, c0, c1;
	zx_handle_t other[2];

	EXPECT_NE(ZX_HANDLE_INVALID, self->h[0]);
	EXPECT_NE(ZX_HANDLE_INVALID, self->h[1]);
	EXPECT_NE(self->h[0], self->h[1]);
	ASSERT_EQ(ZX_OK, zxs_basic(self->h[0], &b0));
	ASSERT_EQ(ZX_OK, zxs_basic(self->h[1], &b1));
	EXPECT_EQ(ZX_OBJ_TYPE_SOCKET, b0.type);
	EXPECT_EQ(14, b1.type);
	EXPECT_NE(ZX_KOID_INVALID, b0.koid);
	EXPECT_NE(ZX_KOID_INVALID, b1.koid);
	EXPECT_NE(b0.koid, b1.koid);
	EXPECT_EQ(b1.koid, b0.related_koid);
	EXPECT_EQ(b0.koid, b1.related_koid);

	/* A second socket gets koids of its own. */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &other[0], &other[1]));
	ASSERT_EQ(ZX_OK, zxs_basic(other[0], &c0));
	ASSERT_EQ(ZX_OK, zxs_basic(other[1], &c1));
	EXPECT_NE(c0.koid, b0.koid);
	EXPECT_NE(c0.koid, b1.koid);
	EXPECT_NE(c1.koid, b0.koid);
	EXPECT_NE(c1.koid, b1.koid);
	EXPECT_NE(c0.koid, c1.koid);
	zx_handle_close(other[0]);
	zx_handle_close(other[1]);
}

TEST(create_never_hands_out_handle_zero)
{
	zx_handle_t h[2], dup;

	/*
	 * With fd 0 free, the kernel gives the next new fd number 0, which is
	 * ZX_HANDLE_INVALID; the library must not hand that out as a handle.
	 * A first socket makes the library open /dev/zxsocket beforehand, so
	 * the device fd cannot be what takes fd 0.
	 */
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
	close(0);
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	EXPECT_NE(ZX_HANDLE_INVALID, h[0]);
	EXPECT_NE(ZX_HANDLE_INVALID, h[1]);
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(h[0], ZX_RIGHT_SAME_RIGHTS, &dup));
	EXPECT_NE(ZX_HANDLE_INVALID, dup);
	zx_handle_close(dup);
	ASSERT_EQ(ZX_OK, zx_handle_replace(h[1], ZX_RIGHT_READ, &dup));
	EXPECT_NE(ZX_HANDLE_INVALID, dup);
	zx_handle_close(dup);
	zx_handle_close(h[0]);
}

/* ================================================== write and read */

TEST_F(sock, write_then_read_both_directions)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "hello", 5, &actual));
	EXPECT_EQ(5, actual);
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(5, actual);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(W, zxs_signals(self->h[1]));

	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[1], 0, "back", 4, &actual));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[0], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(4, actual);
	EXPECT_EQ(0, memcmp(buf, "back", 4));

	/* actual may be NULL. */
	EXPECT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "n", 1, NULL));
	EXPECT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	EXPECT_EQ('n', buf[0]);
}

TEST(stream_write_is_short_at_capacity)
{
	zx_handle_t h[2];
	size_t cap, actual = 0;
	uint8_t *data, *got;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_STREAM, &h[0], &h[1]));
	cap = zxs_capacity(h[1]);
	ASSERT_LT(0, cap);
	data = malloc(cap + 4096);
	got = malloc(cap + 4096);
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, got);
	zxs_pattern_fill(data, cap + 4096, 7, 0);

	/* More than fits: the write takes exactly the room there is. */
	ASSERT_EQ(ZX_OK, zx_socket_write(h[0], 0, data, cap + 4096, &actual));
	EXPECT_EQ(cap, actual);
	EXPECT_EQ(cap, zxs_queued(h[1]));
	EXPECT_EQ(0, zxs_signals(h[0]));
	EXPECT_EQ(W | R, zxs_signals(h[1]));

	/* Full: nothing more goes, and actual is left alone. */
	actual = 12345;
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_write(h[0], 0, data + cap, 1,
						      &actual));
	EXPECT_EQ(12345, actual);

	/* One byte of room makes a two-byte write one byte short. */
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, got, 1, &actual));
	EXPECT_EQ(W, zxs_signals(h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_write(h[0], 0, data + cap, 2, &actual));
	EXPECT_EQ(1, actual);

	/* Everything arrives in order, nothing twice. */
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, got + 1, cap + 4095, &actual));
	EXPECT_EQ(cap, actual);
	EXPECT_EQ(-1, zxs_pattern_check(got, cap + 1, 7, 0));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
	free(data);
	free(got);
}

TEST(stream_reads_cross_write_boundaries)
{
	zx_handle_t h[2];
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_STREAM, &h[0], &h[1]));
	ASSERT_EQ(ZX_OK, write_str(h[0], "ab"));
	ASSERT_EQ(ZX_OK, write_str(h[0], "cd"));
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, buf, 3, &actual));
	EXPECT_EQ(3, actual);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(W | R, zxs_signals(h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(1, actual);
	EXPECT_EQ('d', buf[0]);
	EXPECT_EQ(W, zxs_signals(h[1]));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

TEST(datagram_larger_than_capacity_out_of_range)
{
	zx_handle_t h[2];
	size_t cap, actual = 0;
	uint8_t *data, *got;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM, &h[0], &h[1]));
	cap = zxs_capacity(h[1]);
	data = malloc(cap + 1);
	got = malloc(cap + 1);
	ASSERT_NE(NULL, data);
	ASSERT_NE(NULL, got);
	zxs_pattern_fill(data, cap + 1, 3, 0);

	actual = 12345;
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE, zx_socket_write(h[0], 0, data, cap + 1,
						       &actual));
	EXPECT_EQ(12345, actual);
	EXPECT_EQ(0, zxs_queued(h[1]));
	EXPECT_EQ(W, zxs_signals(h[1]));

	/* Exactly the capacity fits an empty queue, and fills it. */
	ASSERT_EQ(ZX_OK, zx_socket_write(h[0], 0, data, cap, &actual));
	EXPECT_EQ(cap, actual);
	EXPECT_EQ(0, zxs_signals(h[0]));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_write(h[0], 0, data, 1, NULL));
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, got, cap + 1, &actual));
	EXPECT_EQ(cap, actual);
	EXPECT_EQ(-1, zxs_pattern_check(got, cap, 3, 0));
	EXPECT_EQ(W, zxs_signals(h[0]));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
	free(data);
	free(got);
}

TEST(datagram_without_room_should_wait_and_is_never_split)
{
	zx_handle_t h[2];
	size_t cap, actual = 0;
	uint8_t *data;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM, &h[0], &h[1]));
	cap = zxs_capacity(h[1]);
	data = calloc(1, cap);
	ASSERT_NE(NULL, data);

	ASSERT_EQ(ZX_OK, zx_socket_write(h[0], 0, data, cap - 10, &actual));
	/* Ten bytes of room: not full, so still writable... */
	EXPECT_EQ(W, zxs_signals(h[0]));
	/* ...but an 11-byte datagram does not fit, and none of it goes. */
	actual = 12345;
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_write(h[0], 0, data, 11,
						      &actual));
	EXPECT_EQ(12345, actual);
	EXPECT_EQ(cap - 10, zxs_queued(h[1]));
	/* A 10-byte one fits exactly and fills the queue. */
	ASSERT_EQ(ZX_OK, zx_socket_write(h[0], 0, data, 10, &actual));
	EXPECT_EQ(10, actual);
	EXPECT_EQ(cap, zxs_queued(h[1]));
	EXPECT_EQ(0, zxs_signals(h[0]));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
	free(data);
}

TEST(datagram_read_takes_one_and_discards_what_does_not_fit)
{
	zx_handle_t h[2];
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, zx_socket_create(ZX_SOCKET_DATAGRAM, &h[0], &h[1]));
	ASSERT_EQ(ZX_OK, write_str(h[0], "abc"));
	ASSERT_EQ(ZX_OK, write_str(h[0], "defgh"));
	ASSERT_EQ(ZX_OK, write_str(h[0], "i"));

	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, buf, 2, &actual));
	EXPECT_EQ(2, actual);
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
	/* "c" went with its datagram. */
	EXPECT_EQ(6, zxs_queued(h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(5, actual);
	EXPECT_EQ(0, memcmp(buf, "defgh", 5));
	ASSERT_EQ(ZX_OK, zx_socket_read(h[1], 0, buf, sizeof(buf), &actual));
	EXPECT_EQ(1, actual);
	EXPECT_EQ('i', buf[0]);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(h[1], 0, buf, sizeof(buf),
						     &actual));
	EXPECT_EQ(W, zxs_signals(h[1]));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

TEST_F(sock, write_len_zero_queues_nothing_and_changes_nothing)
{
	zx_signals_t s0, s1;
	size_t actual = 77;

	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "x", 0, &actual));
	EXPECT_EQ(0, actual);
	actual = 77;
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, NULL, 0, &actual));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(0, zxs_queued(self->h[1]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[1], 0, &actual,
						     1, NULL));

	/* Even with the queue full, where any real write would wait. */
	ASSERT_EQ(ZX_OK, zxs_fill(self->h[0], NULL));
	s0 = zxs_signals(self->h[0]);
	s1 = zxs_signals(self->h[1]);
	actual = 77;
	EXPECT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "x", 0, &actual));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(s0, zxs_signals(self->h[0]));
	EXPECT_EQ(s1, zxs_signals(self->h[1]));
	EXPECT_EQ(self->cap, zxs_queued(self->h[1]));
}

TEST_F(sock, write_len_zero_still_reports_bad_state_and_peer_closed)
{
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_write(self->h[0], 0, NULL, 0,
						    NULL));
	zxs_close(&self->h[1]);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_write(self->h[0], 0, NULL, 0,
						      NULL));
}

TEST_F(sock, write_null_buffer_with_length_invalid_args)
{
	size_t actual = 77;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_write(self->h[0], 0, NULL, 1,
						       &actual));
	EXPECT_EQ(77, actual);
	EXPECT_EQ(0, zxs_queued(self->h[1]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, read_null_buffer_with_length_invalid_args)
{
	size_t actual = 77;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "abc"));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_read(self->h[1], 0, NULL, 1,
						      &actual));
	EXPECT_EQ(77, actual);
	EXPECT_EQ(3, zxs_queued(self->h[1]));
}

TEST_F(sock, read_len_zero_consumes_nothing)
{
	char buf[8];
	size_t actual = 77;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "abc"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 0, &actual));
	EXPECT_EQ(0, actual);
	actual = 77;
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, NULL, 0, &actual));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(3, zxs_queued(self->h[1]));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(3, actual);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
}

TEST_F(sock, read_len_zero_on_empty_queue_should_wait)
{
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[1], 0, NULL, 0,
						     NULL));
}

TEST_F(sock, unknown_read_and_write_options_invalid_args)
{
	static const uint32_t bad_write[] = { ZX_SOCKET_PEEK, 1u << 0,
					      1u << 1, 1u << 31 };
	static const uint32_t bad_read[] = { 1u << 0, 1u << 1, 1u << 4,
					     1u << 31 };
	char buf[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_write); i++) {
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_write(self->h[0], bad_write[i], "x", 1, NULL))
			TH_LOG("write options %#x", bad_write[i]);
	}
	EXPECT_EQ(0, zxs_queued(self->h[1]));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "x"));
	for (i = 0; i < ARRAY_SIZE(bad_read); i++) {
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_read(self->h[1], bad_read[i], buf,
					 sizeof(buf), NULL))
			TH_LOG("read options %#x", bad_read[i]);
	}
	EXPECT_EQ(1, zxs_queued(self->h[1]));
}

TEST_F(sock, read_empty_should_wait)
{
	char buf[8];
	size_t actual = 77;

	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[1], 0, buf,
						     sizeof(buf), &actual));
	EXPECT_EQ(77, actual);
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[1], ZX_SOCKET_PEEK,
						     buf, sizeof(buf), &actual));
}

TEST_F(sock, read_empty_after_peer_disabled_writing_bad_state)
{
	char buf[8];

	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[1], 0, buf,
						   sizeof(buf), NULL));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[1], ZX_SOCKET_PEEK,
						   buf, sizeof(buf), NULL));
	/* The other direction is untouched. */
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[0], 0, buf,
						     sizeof(buf), NULL));
}

TEST_F(sock, read_empty_after_peer_closed_peer_closed)
{
	char buf[8];

	/* Peer gone wins over reading disabled. */
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	zxs_close(&self->h[0]);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_read(self->h[1], 0, buf,
						     sizeof(buf), NULL));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_read(self->h[1], ZX_SOCKET_PEEK,
						     buf, sizeof(buf), NULL));
}

TEST_F(sock, peek_copies_without_consuming_or_changing_signals)
{
	size_t threshold = 3, actual = 0;
	zx_signals_t s0, s1;
	char buf[16];

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "abc"));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "def"));
	/* A threshold that a consuming read would take the queue below. */
	ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[1],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&threshold, sizeof(threshold)));
	s0 = zxs_signals(self->h[0]);
	s1 = zxs_signals(self->h[1]);
	EXPECT_EQ(W | R | RT, s1);

	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], ZX_SOCKET_PEEK, buf, 2,
					&actual));
	EXPECT_EQ(2, actual);
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], ZX_SOCKET_PEEK, buf,
					sizeof(buf), &actual));
	/* A stream peek sees everything; a datagram peek the first datagram. */
	EXPECT_EQ(self->datagram ? 3 : 6, actual);
	EXPECT_EQ(0, memcmp(buf, "abcdef", actual));
	EXPECT_EQ(6, zxs_queued(self->h[1]));
	EXPECT_EQ(s0, zxs_signals(self->h[0]));
	EXPECT_EQ(s1, zxs_signals(self->h[1]));

	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(self->datagram ? 3 : 6, actual);
	EXPECT_EQ(0, memcmp(buf, "abcdef", actual));
}

TEST_F(sock, peek_on_full_queue_leaves_writer_unwritable)
{
	char buf[16];

	ASSERT_EQ(ZX_OK, zxs_fill(self->h[0], NULL));
	EXPECT_EQ(0, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], ZX_SOCKET_PEEK, buf,
					sizeof(buf), NULL));
	EXPECT_EQ(0, zxs_signals(self->h[0]));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_write(self->h[0], 0, "x", 1,
						      NULL));
}

/* =========================================================== signals */

TEST_F(sock, readable_tracks_queued_data)
{
	char buf[2];

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "ab"));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "cd"));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	/* Half the data (or the first datagram) read: still readable. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 2, NULL));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 2, NULL));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	/* The writer's own signals never showed the data. */
	EXPECT_EQ(W, zxs_signals(self->h[0]));
}

TEST_F(sock, writable_cleared_when_full_and_set_when_reader_unfills)
{
	char buf[1];

	ASSERT_EQ(ZX_OK, zxs_fill(self->h[0], NULL));
	EXPECT_EQ(0, zxs_signals(self->h[0]));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	/* One byte, or one datagram (whose rest is discarded), makes room. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, "x", 1, NULL));
}

TEST_F(sock, writable_wakes_waiter_when_reader_unfills)
{
	struct zxs_waiter w = { .handle = self->h[0], .signals = W };
	char buf[1];

	ASSERT_EQ(ZX_OK, zxs_fill(self->h[0], NULL));
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W, w.observed);
}

TEST_F(sock, read_threshold_tracks_queued_bytes)
{
	size_t t = 10;
	char buf[16];

	ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[1],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&t, sizeof(t)));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "123456789"));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "0"));
	EXPECT_EQ(W | R | RT, zxs_signals(self->h[1]));
	/* Only the reader's threshold: the writer sees nothing. */
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	/* One byte (or the 9-byte datagram) read: below the threshold. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "abcdefghijk"));
	EXPECT_EQ(W | R | RT, zxs_signals(self->h[1]));
}

TEST_F(sock, read_threshold_setting_reevaluates_at_once)
{
	static char data[100];
	size_t t;

	memset(data, 'r', sizeof(data));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, data, sizeof(data),
					 NULL));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	t = 50;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[1], ZX_PROP_SOCKET_RX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | R | RT, zxs_signals(self->h[1]));
	t = 101;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[1], ZX_PROP_SOCKET_RX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	t = 100;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[1], ZX_PROP_SOCKET_RX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | R | RT, zxs_signals(self->h[1]));
	/* 0 switches the signal off, however much is queued. */
	t = 0;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[1], ZX_PROP_SOCKET_RX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
}

TEST_F(sock, read_threshold_wakes_waiter_only_at_crossing)
{
	struct zxs_waiter w = { .handle = self->h[1], .signals = RT };
	static char data[99];
	size_t t = 100;

	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[1], ZX_PROP_SOCKET_RX_THRESHOLD, &t, sizeof(t)));
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, data, sizeof(data),
					 NULL));
	/* Readable, but below the threshold: the waiter keeps waiting. */
	zxs_sleep_ns(ZXS_SETTLE_NS);
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "!"));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W | R | RT, w.observed);
}

TEST_F(sock, write_threshold_tracks_free_space)
{
	static char data[100];
	size_t t = self->cap - 100;
	char buf[1];

	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	/* An empty queue has all of its capacity free. */
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, data, sizeof(data),
					 NULL));
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "x"));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	/* Only the writer's threshold: the reader sees nothing. */
	EXPECT_EQ(W | R, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
}

TEST_F(sock, write_threshold_setting_reevaluates_at_once)
{
	static char data[100];
	size_t t;

	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, data, sizeof(data),
					 NULL));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	t = self->cap - 100;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
	t = self->cap - 99;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	t = 1;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
	t = 0;
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
}

TEST_F(sock, write_threshold_wakes_waiter_when_room_appears)
{
	struct zxs_waiter w = { .handle = self->h[0], .signals = WT };
	size_t t = 1;
	char buf[1];

	ASSERT_EQ(ZX_OK, zxs_fill(self->h[0], NULL));
	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(0, zxs_signals(self->h[0]));
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 1, NULL));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W | WT, w.observed);
}

TEST_F(sock, write_threshold_not_cleared_by_peer_death)
{
	size_t t = 1;

	ASSERT_EQ(ZX_OK, zx_object_set_property(
			self->h[0], ZX_PROP_SOCKET_TX_THRESHOLD, &t, sizeof(t)));
	EXPECT_EQ(W | WT, zxs_signals(self->h[0]));
	zxs_close(&self->h[1]);
	EXPECT_EQ(PC | WT, zxs_signals(self->h[0]));
}

TEST_F(sock, peer_closed_set_on_death_and_never_cleared)
{
	zxs_close(&self->h[1]);
	EXPECT_EQ(PC, zxs_signals(self->h[0]));
	/* Nothing the survivor does brings the peer back. */
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, write_str(self->h[0], "x"));
	EXPECT_EQ(ZX_OK, zx_object_signal(self->h[0], 0, ZX_USER_SIGNAL_0));
	EXPECT_EQ(ZX_OK, zx_object_signal(self->h[0], ZX_USER_SIGNAL_0, 0));
	EXPECT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(PC, zxs_signals(self->h[0]) & (PC | W | R));
}

/* ================================================ peer death and data */

TEST_F(sock, peer_death_keeps_queued_data_readable)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "one"));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "two"));
	zxs_close(&self->h[0]);
	EXPECT_EQ(R | PC, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	if (self->datagram) {
		EXPECT_EQ(3, actual);
		EXPECT_EQ(0, memcmp(buf, "one", 3));
		EXPECT_EQ(R | PC, zxs_signals(self->h[1]));
		ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf,
						sizeof(buf), &actual));
		EXPECT_EQ(3, actual);
		EXPECT_EQ(0, memcmp(buf, "two", 3));
	} else {
		EXPECT_EQ(6, actual);
		EXPECT_EQ(0, memcmp(buf, "onetwo", 6));
	}
	EXPECT_EQ(PC, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_read(self->h[1], 0, buf,
						     sizeof(buf), &actual));
}

TEST_F(sock, write_to_dead_peer_peer_closed_even_len_zero)
{
	size_t actual = 77;

	zxs_close(&self->h[1]);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_write(self->h[0], 0, "x", 1,
						      &actual));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_write(self->h[0], 0, "x", 0,
						      &actual));
	EXPECT_EQ(77, actual);
}

TEST_F(sock, peer_death_frees_what_survivor_wrote_to_it)
{
	zx_info_socket_t info;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "for h1"));
	ASSERT_EQ(ZX_OK, write_str(self->h[1], "for h0"));
	ASSERT_EQ(ZX_OK, zxs_info(self->h[1], &info));
	EXPECT_EQ(6, info.tx_buf_size);
	zxs_close(&self->h[0]);
	/* What h1 sent to the dead end is gone; what it received is kept. */
	ASSERT_EQ(ZX_OK, zxs_info(self->h[1], &info));
	EXPECT_EQ(0, info.tx_buf_max);
	EXPECT_EQ(0, info.tx_buf_size);
	EXPECT_EQ(6, info.rx_buf_size);
	EXPECT_EQ(self->cap, info.rx_buf_max);
}

/* ==================================================== set_disposition */

TEST_F(sock, set_disposition_invalid_values_checked_first)
{
	static const uint32_t bad[] = {
		ZX_SOCKET_DISPOSITION_WRITE_DISABLED |
			ZX_SOCKET_DISPOSITION_WRITE_ENABLED,
		1u << 2, 1u << 31,
	};
	zx_handle_t no_manage = zxs_handle_with_rights(
		self->h[0], ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_MANAGE_SOCKET);
	size_t i;

	ASSERT_NE(ZX_HANDLE_INVALID, no_manage);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_set_disposition(self->h[0], bad[i], 0))
			TH_LOG("disposition %#x", bad[i]);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_set_disposition(self->h[0], 0, bad[i]))
			TH_LOG("disposition_peer %#x", bad[i]);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_set_disposition(
				self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED,
				bad[i]));
		/* Before the rights, and before the handle itself. */
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_set_disposition(no_manage, bad[i], 0));
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_set_disposition(ZX_HANDLE_INVALID, bad[i],
						    0));
	}
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_socket_set_disposition(no_manage, 0, 0));
	zx_handle_close(no_manage);
}

TEST_F(sock, disposition_zero_changes_nothing)
{
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(self->h[0], 0, 0));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	/* Enabling what is not disabled changes nothing either. */
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_ENABLED,
			ZX_SOCKET_DISPOSITION_WRITE_ENABLED));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, disable_own_writes)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "abc"));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(WD, zxs_signals(self->h[0]));
	EXPECT_EQ(W | R | PWD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[0], "x"));

	/* The reader drains what was sent before, then learns it is over. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(3, actual);
	EXPECT_EQ(W | PWD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[1], 0, buf,
						   sizeof(buf), &actual));

	/* The other direction still works. */
	ASSERT_EQ(ZX_OK, write_str(self->h[1], "reply"));
	EXPECT_EQ(WD | R, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[0], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(5, actual);
}

TEST_F(sock, disable_peer_writes)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[1], "abc"));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED));
	EXPECT_EQ(WD, zxs_signals(self->h[1]));
	EXPECT_EQ(W | R | PWD, zxs_signals(self->h[0]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[1], "x"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[0], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(3, actual);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[0], 0, buf,
						   sizeof(buf), &actual));
	EXPECT_EQ(ZX_OK, write_str(self->h[0], "fine"));
}

TEST_F(sock, reenable_reverses_disable)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_SHOULD_WAIT, zx_socket_read(self->h[1], 0, buf,
						     sizeof(buf), &actual));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "again"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(5, actual);

	/* The same from the other side: h1 disables and re-enables h0. */
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED));
	EXPECT_EQ(WD, zxs_signals(self->h[0]));
	EXPECT_EQ(W | PWD, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, reenable_while_old_data_queued_bad_state)
{
	char buf[16];

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "old"));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_ENABLED, 0));
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED));
	/* Refused means nothing changed. */
	EXPECT_EQ(WD, zxs_signals(self->h[0]));
	EXPECT_EQ(W | R | PWD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[0], "x"));

	/* Once the reader has drained it, re-enabling works. */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf), NULL));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, disposition_works_with_peer_gone)
{
	zxs_close(&self->h[1]);
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED,
			ZX_SOCKET_DISPOSITION_WRITE_DISABLED));
	EXPECT_EQ(WD | PC, zxs_signals(self->h[0]) & (WD | PC | W));
	/* Peer gone is reported before write-disabled. */
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, write_str(self->h[0], "x"));
}

TEST_F(sock, disabled_writer_dies_reader_drains_then_peer_closed)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "last"));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	zxs_close(&self->h[0]);
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(4, actual);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_read(self->h[1], 0, buf,
						     sizeof(buf), &actual));
	EXPECT_EQ(PC, zxs_signals(self->h[1]) & (PC | W | R));
}

/* =========================================================== shutdown */

TEST_F(sock, shutdown_invalid_options_checked_first)
{
	static const uint32_t bad[] = { 1u << 2, 1u << 31,
					ZX_SOCKET_SHUTDOWN_WRITE | (1u << 2) };
	zx_handle_t no_write = zxs_handle_with_rights(
		self->h[0], ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_WRITE);
	size_t i;

	ASSERT_NE(ZX_HANDLE_INVALID, no_write);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_shutdown(self->h[0], bad[i]))
			TH_LOG("options %#x", bad[i]);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_shutdown(no_write, bad[i]));
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_socket_shutdown(ZX_HANDLE_INVALID, bad[i]));
	}
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_socket_shutdown(no_write, ZX_SOCKET_SHUTDOWN_WRITE));
	zx_handle_close(no_write);
}

TEST_F(sock, shutdown_write_stops_own_writes)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[0], "ab"));
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_WRITE));
	EXPECT_EQ(WD, zxs_signals(self->h[0]));
	EXPECT_EQ(W | R | PWD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[0], "x"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(2, actual);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[1], 0, buf,
						   sizeof(buf), &actual));
	/* The reverse direction is not shut. */
	EXPECT_EQ(ZX_OK, write_str(self->h[1], "x"));
	EXPECT_EQ(ZX_OK, zx_socket_read(self->h[0], 0, buf, sizeof(buf),
					&actual));
}

TEST_F(sock, shutdown_read_stops_peer_writes)
{
	char buf[16];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, write_str(self->h[1], "ab"));
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_READ));
	EXPECT_EQ(W | R | PWD, zxs_signals(self->h[0]));
	EXPECT_EQ(WD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[1], "x"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[0], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(2, actual);
	EXPECT_EQ(ZX_ERR_BAD_STATE, zx_socket_read(self->h[0], 0, buf,
						   sizeof(buf), &actual));
	EXPECT_EQ(ZX_OK, write_str(self->h[0], "x"));
}

TEST_F(sock, shutdown_both_ways)
{
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_READ |
					    ZX_SOCKET_SHUTDOWN_WRITE));
	EXPECT_EQ(WD | PWD, zxs_signals(self->h[0]));
	EXPECT_EQ(WD | PWD, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[0], "x"));
	EXPECT_EQ(ZX_ERR_BAD_STATE, write_str(self->h[1], "x"));
	/* Shutting down again is no error. */
	EXPECT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_WRITE));
	EXPECT_EQ(ZX_OK, zx_socket_shutdown(self->h[1],
					    ZX_SOCKET_SHUTDOWN_READ));
	EXPECT_EQ(WD | PWD, zxs_signals(self->h[0]));
}

TEST_F(sock, shutdown_zero_options_changes_nothing)
{
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->h[0], 0));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_OK, write_str(self->h[0], "x"));
}

TEST_F(sock, shutdown_with_peer_gone_changes_own_bits)
{
	zxs_close(&self->h[1]);
	ASSERT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_WRITE));
	EXPECT_EQ(WD | PC, zxs_signals(self->h[0]) & (WD | PC | W));
	EXPECT_EQ(ZX_OK, zx_socket_shutdown(self->h[0],
					    ZX_SOCKET_SHUTDOWN_READ));
}

/* ===================================================== user signals */

TEST_F(sock, signal_sets_and_clears_only_own_user_bits)
{
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[0], 0,
					  ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_7));
	EXPECT_EQ(W | ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_7,
		  zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[0], ZX_USER_SIGNAL_0, 0));
	EXPECT_EQ(W | ZX_USER_SIGNAL_7, zxs_signals(self->h[0]));
	/* Clear first, then set. */
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[0],
					  ZX_USER_SIGNAL_7 | ZX_USER_SIGNAL_1,
					  ZX_USER_SIGNAL_1));
	EXPECT_EQ(W | ZX_USER_SIGNAL_1, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[0], ZX_USER_SIGNAL_ALL,
					  ZX_USER_SIGNAL_ALL));
	EXPECT_EQ(W | ZX_USER_SIGNAL_ALL, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[0], ZX_USER_SIGNAL_ALL, 0));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
}

TEST_F(sock, signal_rejects_non_user_bits)
{
	int bit;

	for (bit = 0; bit < 24; bit++) {
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_signal(self->h[0], 0, 1u << bit))
			TH_LOG("set bit %d", bit);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_signal(self->h[0], 1u << bit, 0))
			TH_LOG("clear bit %d", bit);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_signal_peer(self->h[0], 0, 1u << bit))
			TH_LOG("peer set bit %d", bit);
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_signal_peer(self->h[0], 1u << bit,
						ZX_USER_SIGNAL_0))
			TH_LOG("peer clear bit %d", bit);
	}
	/* In particular WRITABLE could not be cleared, nor anything set. */
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, signal_peer_sets_and_clears_peer_user_bits)
{
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[0], 0,
					       ZX_USER_SIGNAL_2));
	EXPECT_EQ(W | ZX_USER_SIGNAL_2, zxs_signals(self->h[1]));
	EXPECT_EQ(W, zxs_signals(self->h[0]));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[0], ZX_USER_SIGNAL_2,
					       ZX_USER_SIGNAL_3));
	EXPECT_EQ(W | ZX_USER_SIGNAL_3, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[1], 0,
					       ZX_USER_SIGNAL_4));
	EXPECT_EQ(W | ZX_USER_SIGNAL_4, zxs_signals(self->h[0]));
}

TEST_F(sock, signal_peer_with_peer_gone_peer_closed)
{
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[1], 0,
					       ZX_USER_SIGNAL_5));
	zxs_close(&self->h[1]);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED,
		  zx_object_signal_peer(self->h[0], 0, ZX_USER_SIGNAL_0));
	/* Own user signals survive the peer and still work. */
	EXPECT_EQ(PC | ZX_USER_SIGNAL_5, zxs_signals(self->h[0]));
	EXPECT_EQ(ZX_OK, zx_object_signal(self->h[0], ZX_USER_SIGNAL_5,
					  ZX_USER_SIGNAL_6));
	EXPECT_EQ(PC | ZX_USER_SIGNAL_6, zxs_signals(self->h[0]));
}

/* ============================================================ get_info */

TEST_F(sock, info_socket_fields_of_empty_socket)
{
	zx_info_socket_t info;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(ZX_OK, zxs_info(self->h[i], &info));
		EXPECT_EQ(variant->options, info.options);
		EXPECT_LT(0, info.rx_buf_max);
		EXPECT_EQ(0, info.rx_buf_size);
		EXPECT_EQ(0, info.rx_buf_available);
		EXPECT_EQ(info.rx_buf_max, info.tx_buf_max);
		EXPECT_EQ(0, info.tx_buf_size);
	}
}

TEST_F(sock, info_socket_counts_queued_bytes)
{
	static char a[100], b[50];
	zx_info_socket_t info;
	char buf[100];

	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, a, sizeof(a), NULL));
	ASSERT_EQ(ZX_OK, zx_socket_write(self->h[0], 0, b, sizeof(b), NULL));
	ASSERT_EQ(ZX_OK, zxs_info(self->h[1], &info));
	EXPECT_EQ(150, info.rx_buf_size);
	/* What the next read would get: all bytes, or the first datagram. */
	EXPECT_EQ(self->datagram ? 100 : 150, info.rx_buf_available);
	EXPECT_EQ(0, info.tx_buf_size);
	ASSERT_EQ(ZX_OK, zxs_info(self->h[0], &info));
	EXPECT_EQ(0, info.rx_buf_size);
	EXPECT_EQ(0, info.rx_buf_available);
	EXPECT_EQ(self->cap, info.tx_buf_max);
	EXPECT_EQ(150, info.tx_buf_size);

	/* Read 10 bytes: of the stream, or of the first datagram (all 100 go). */
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, 10, NULL));
	ASSERT_EQ(ZX_OK, zxs_info(self->h[1], &info));
	EXPECT_EQ(self->datagram ? 50 : 140, info.rx_buf_size);
	EXPECT_EQ(self->datagram ? 50 : 140, info.rx_buf_available);
	ASSERT_EQ(ZX_OK, zxs_info(self->h[0], &info));
	EXPECT_EQ(self->datagram ? 50 : 140, info.tx_buf_size);
}

TEST_F(sock, info_socket_tx_fields_zero_after_peer_death)
{
	zx_info_socket_t info;

	ASSERT_EQ(ZX_OK, write_str(self->h[1], "kept"));
	zxs_close(&self->h[1]);
	ASSERT_EQ(ZX_OK, zxs_info(self->h[0], &info));
	EXPECT_EQ(variant->options, info.options);
	EXPECT_EQ(self->cap, info.rx_buf_max);
	EXPECT_EQ(4, info.rx_buf_size);
	EXPECT_EQ(4, info.rx_buf_available);
	EXPECT_EQ(0, info.tx_buf_max);
	EXPECT_EQ(0, info.tx_buf_size);
}

TEST_F(sock, info_buffer_too_small_reports_one_available)
{
	uint8_t buf[sizeof(zx_info_socket_t)];
	size_t actual, avail;

	actual = avail = 77;
	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_get_info(self->h[0], ZX_INFO_SOCKET, buf,
				     sizeof(zx_info_socket_t) - 1, &actual,
				     &avail));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(1, avail);
	actual = avail = 77;
	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_get_info(self->h[0], ZX_INFO_SOCKET, NULL, 0,
				     &actual, &avail));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(1, avail);
	actual = avail = 77;
	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_get_info(self->h[0], ZX_INFO_HANDLE_BASIC, buf,
				     sizeof(zx_info_handle_basic_t) - 1,
				     &actual, &avail));
	EXPECT_EQ(0, actual);
	EXPECT_EQ(1, avail);
}

TEST_F(sock, info_unknown_topic_not_supported)
{
	static const uint32_t bad[] = { ZX_INFO_PROCESS, ZX_INFO_VMO,
					ZX_INFO_TIMER, 0x7fff };
	uint8_t buf[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(ZX_ERR_NOT_SUPPORTED,
			  zx_object_get_info(self->h[0], bad[i], buf,
					     sizeof(buf), NULL, NULL))
			TH_LOG("topic %#x", bad[i]);
	}
}

TEST_F(sock, info_handle_basic_needs_no_rights)
{
	zx_handle_t none = zxs_handle_with_rights(self->h[0], 0);
	zx_info_handle_basic_t basic, orig;

	ASSERT_NE(ZX_HANDLE_INVALID, none);
	ASSERT_EQ(ZX_OK, zxs_basic(self->h[0], &orig));
	ASSERT_EQ(ZX_OK, zxs_basic(none, &basic));
	EXPECT_EQ(0, basic.rights);
	EXPECT_EQ(orig.koid, basic.koid);
	EXPECT_EQ(orig.related_koid, basic.related_koid);
	EXPECT_EQ(ZX_OBJ_TYPE_SOCKET, basic.type);
	zx_handle_close(none);
}

/* ========================================================= properties */

TEST_F(sock, thresholds_default_zero_and_read_back)
{
	size_t v = 77;

	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(0, v);
	v = 77;
	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0],
						ZX_PROP_SOCKET_TX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(0, v);

	v = 123;
	ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[0],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
	v = 456;
	ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[0],
						ZX_PROP_SOCKET_TX_THRESHOLD,
						&v, sizeof(v)));
	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(123, v);
	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0],
						ZX_PROP_SOCKET_TX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(456, v);
	/* Each endpoint has its own. */
	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[1],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(0, v);
}

TEST_F(sock, threshold_above_capacity_invalid_args)
{
	static const uint32_t props[] = { ZX_PROP_SOCKET_RX_THRESHOLD,
					  ZX_PROP_SOCKET_TX_THRESHOLD };
	size_t i, v;

	for (i = 0; i < ARRAY_SIZE(props); i++) {
		v = 5;
		ASSERT_EQ(ZX_OK, zx_object_set_property(self->h[0], props[i],
							&v, sizeof(v)));
		v = self->cap + 1;
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_set_property(self->h[0], props[i], &v,
						 sizeof(v)));
		v = SIZE_MAX;
		EXPECT_EQ(ZX_ERR_INVALID_ARGS,
			  zx_object_set_property(self->h[0], props[i], &v,
						 sizeof(v)));
		ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0], props[i],
							&v, sizeof(v)));
		EXPECT_EQ(5, v);
		v = self->cap;
		EXPECT_EQ(ZX_OK, zx_object_set_property(self->h[0], props[i],
							&v, sizeof(v)));
	}
}

TEST_F(sock, threshold_small_value_size_buffer_too_small)
{
	uint32_t small = 5;
	size_t v;

	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_set_property(self->h[0],
					 ZX_PROP_SOCKET_RX_THRESHOLD, &small,
					 sizeof(small)));
	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_set_property(self->h[0],
					 ZX_PROP_SOCKET_TX_THRESHOLD, &small,
					 sizeof(small)));
	small = 99;
	EXPECT_EQ(ZX_ERR_BUFFER_TOO_SMALL,
		  zx_object_get_property(self->h[0],
					 ZX_PROP_SOCKET_RX_THRESHOLD, &small,
					 sizeof(small)));
	EXPECT_EQ(99, small);
	ASSERT_EQ(ZX_OK, zx_object_get_property(self->h[0],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
	EXPECT_EQ(0, v);
}

TEST_F(sock, tx_threshold_with_peer_gone_peer_closed)
{
	size_t v = 1;

	zxs_close(&self->h[1]);
	EXPECT_EQ(ZX_ERR_PEER_CLOSED,
		  zx_object_set_property(self->h[0],
					 ZX_PROP_SOCKET_TX_THRESHOLD, &v,
					 sizeof(v)));
	EXPECT_EQ(ZX_OK, zx_object_set_property(self->h[0],
						ZX_PROP_SOCKET_RX_THRESHOLD,
						&v, sizeof(v)));
}

TEST_F(sock, unknown_property_invalid_args)
{
	size_t v = 0;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_object_get_property(self->h[0], ZX_PROP_NAME, &v,
					 sizeof(v)));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_object_set_property(self->h[0], 14, &v, sizeof(v)));
}

/* ============================================== duplicate and replace */

TEST_F(sock, duplicate_with_subset_rights)
{
	const zx_rights_t rights = ZX_RIGHT_READ | ZX_RIGHT_WAIT |
				   ZX_RIGHT_DUPLICATE;
	zx_handle_t dup = ZX_HANDLE_INVALID, dup2 = ZX_HANDLE_INVALID;

	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->h[0], rights, &dup));
	EXPECT_NE(self->h[0], dup);
	EXPECT_EQ(rights, zxs_rights(dup));
	EXPECT_EQ(zxs_koid(self->h[0]), zxs_koid(dup));
	/* The original keeps its rights. */
	EXPECT_EQ(ZX_DEFAULT_SOCKET_RIGHTS, zxs_rights(self->h[0]));
	/* A duplicate of the duplicate can narrow further, or keep all. */
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(dup, ZX_RIGHT_WAIT, &dup2));
	EXPECT_EQ(ZX_RIGHT_WAIT, zxs_rights(dup2));
	zx_handle_close(dup2);
	ASSERT_EQ(ZX_OK, zx_handle_duplicate(dup, ZX_RIGHT_SAME_RIGHTS, &dup2));
	EXPECT_EQ(rights, zxs_rights(dup2));
	zx_handle_close(dup2);
	zx_handle_close(dup);
}

TEST_F(sock, duplicate_rights_not_a_subset_invalid_args)
{
	zx_handle_t small = ZX_HANDLE_INVALID, out = 0x5a5a;

	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->h[0],
					     ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE,
					     &small));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_duplicate(small, ZX_RIGHT_WRITE, &out));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_duplicate(small, ZX_RIGHT_READ | ZX_RIGHT_WRITE,
				      &out));
	/* EXECUTE is no socket right at all. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_duplicate(self->h[0], ZX_RIGHT_EXECUTE, &out));
	EXPECT_EQ(0x5a5a, out);
	zx_handle_close(small);
}

TEST_F(sock, replace_invalidates_old_handle)
{
	zx_handle_t old = self->h[0], out = ZX_HANDLE_INVALID;
	zx_koid_t koid = zxs_koid(old);

	ASSERT_EQ(ZX_OK, zx_handle_replace(old, ZX_RIGHT_READ | ZX_RIGHT_WAIT,
					   &out));
	self->h[0] = out;
	EXPECT_EQ(ZX_RIGHT_READ | ZX_RIGHT_WAIT, zxs_rights(out));
	EXPECT_EQ(koid, zxs_koid(out));
	if (out != old) {
		EXPECT_FALSE(zxs_fd_is_open((int)old));
		EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_object_signal(old, 0, 0));
	}
	/* The endpoint lives on in the new handle. */
	EXPECT_EQ(W, zxs_signals(self->h[1]));
}

TEST_F(sock, replace_failure_still_invalidates_old_handle)
{
	zx_handle_t old = self->h[0], out = 0x5a5a;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_handle_replace(old, ZX_RIGHT_EXECUTE, &out));
	self->h[0] = ZX_HANDLE_INVALID;
	EXPECT_EQ(0x5a5a, out);
	EXPECT_FALSE(zxs_fd_is_open((int)old));
	/* It was the endpoint's only handle: the endpoint is gone. */
	EXPECT_EQ(PC, zxs_signals(self->h[1]));
}

TEST_F(sock, replace_needs_no_rights)
{
	zx_handle_t none = zxs_handle_with_rights(self->h[0], 0);
	zx_handle_t out = ZX_HANDLE_INVALID;

	ASSERT_NE(ZX_HANDLE_INVALID, none);
	EXPECT_EQ(0, zxs_rights(none));
	ASSERT_EQ(ZX_OK, zx_handle_replace(none, ZX_RIGHT_SAME_RIGHTS, &out));
	EXPECT_EQ(0, zxs_rights(out));
	/* While duplicate does need DUPLICATE. */
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_handle_duplicate(out, ZX_RIGHT_SAME_RIGHTS, &none));
	zx_handle_close(out);
}

TEST_F(sock, duplicated_handle_keeps_endpoint_alive)
{
	zx_handle_t dup = ZX_HANDLE_INVALID;
	char buf[8];
	size_t actual = 0;

	ASSERT_EQ(ZX_OK, zx_handle_duplicate(self->h[0], ZX_RIGHT_SAME_RIGHTS,
					     &dup));
	zxs_close(&self->h[0]);
	/* One handle left: the peer sees nothing. */
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	ASSERT_EQ(ZX_OK, write_str(dup, "dup"));
	ASSERT_EQ(ZX_OK, zx_socket_read(self->h[1], 0, buf, sizeof(buf),
					&actual));
	EXPECT_EQ(3, actual);
	ASSERT_EQ(ZX_OK, zx_handle_close(dup));
	EXPECT_EQ(PC, zxs_signals(self->h[1]));
}

TEST_F(sock, dup_of_fd_shares_rights_and_keeps_endpoint_alive)
{
	zx_handle_t small = zxs_handle_with_rights(self->h[0],
						   ZX_RIGHT_WAIT |
						   ZX_RIGHT_INSPECT);
	int fd;

	ASSERT_NE(ZX_HANDLE_INVALID, small);
	fd = dup((int)small);
	ASSERT_LE(0, fd);
	EXPECT_EQ(ZX_RIGHT_WAIT | ZX_RIGHT_INSPECT, zxs_rights((zx_handle_t)fd));
	zxs_close(&self->h[0]);
	zx_handle_close(small);
	EXPECT_EQ(W, zxs_signals(self->h[1]));
	close(fd);
	EXPECT_EQ(PC, zxs_signals(self->h[1]));
}

TEST_F(sock, handle_close_invalid_ok_and_closed_bad_handle)
{
	zx_handle_t h = self->h[0];

	EXPECT_EQ(ZX_OK, zx_handle_close(ZX_HANDLE_INVALID));
	EXPECT_EQ(ZX_OK, zx_handle_close(h));
	self->h[0] = ZX_HANDLE_INVALID;
	EXPECT_FALSE(zxs_fd_is_open((int)h));
	EXPECT_EQ(PC, zxs_signals(self->h[1]));
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_handle_close(h));
}

/* ========================================================= rights */

/*
 * Every call that takes a socket handle, made in a way that succeeds on a
 * fresh socket with all rights.  @peer is the other end, for setting up.
 */
struct call {
	const char *name;
	zx_rights_t right;	/* the right it needs, 0 for none */
	zx_status_t (*fn)(zx_handle_t h, zx_handle_t peer);
};

static zx_status_t call_write(zx_handle_t h, zx_handle_t peer)
{
	return zx_socket_write(h, 0, "x", 1, NULL);
}

static zx_status_t call_read(zx_handle_t h, zx_handle_t peer)
{
	char c;

	zx_socket_write(peer, 0, "x", 1, NULL);
	return zx_socket_read(h, 0, &c, 1, NULL);
}

static zx_status_t call_peek(zx_handle_t h, zx_handle_t peer)
{
	char c;

	zx_socket_write(peer, 0, "x", 1, NULL);
	return zx_socket_read(h, ZX_SOCKET_PEEK, &c, 1, NULL);
}

static zx_status_t call_set_disposition(zx_handle_t h, zx_handle_t peer)
{
	return zx_socket_set_disposition(h, 0,
					 ZX_SOCKET_DISPOSITION_WRITE_DISABLED);
}

static zx_status_t call_shutdown(zx_handle_t h, zx_handle_t peer)
{
	return zx_socket_shutdown(h, ZX_SOCKET_SHUTDOWN_WRITE);
}

static zx_status_t call_wait_one(zx_handle_t h, zx_handle_t peer)
{
	zx_signals_t observed;

	return zx_object_wait_one(h, ZX_SOCKET_WRITABLE, 0, &observed);
}

static zx_status_t call_wait_many(zx_handle_t h, zx_handle_t peer)
{
	zx_wait_item_t items[2] = {
		{ .handle = peer, .waitfor = ZX_SOCKET_WRITABLE },
		{ .handle = h, .waitfor = ZX_SOCKET_WRITABLE },
	};

	return zx_object_wait_many(items, 2, 0);
}

static zx_status_t call_signal(zx_handle_t h, zx_handle_t peer)
{
	return zx_object_signal(h, 0, ZX_USER_SIGNAL_0);
}

static zx_status_t call_signal_peer(zx_handle_t h, zx_handle_t peer)
{
	return zx_object_signal_peer(h, 0, ZX_USER_SIGNAL_0);
}

static zx_status_t call_info_socket(zx_handle_t h, zx_handle_t peer)
{
	zx_info_socket_t info;

	return zx_object_get_info(h, ZX_INFO_SOCKET, &info, sizeof(info),
				  NULL, NULL);
}

static zx_status_t call_info_basic(zx_handle_t h, zx_handle_t peer)
{
	zx_info_handle_basic_t basic;

	return zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &basic,
				  sizeof(basic), NULL, NULL);
}

static zx_status_t call_get_property(zx_handle_t h, zx_handle_t peer)
{
	size_t v;

	return zx_object_get_property(h, ZX_PROP_SOCKET_RX_THRESHOLD, &v,
				      sizeof(v));
}

static zx_status_t call_set_property(zx_handle_t h, zx_handle_t peer)
{
	size_t v = 1;

	return zx_object_set_property(h, ZX_PROP_SOCKET_TX_THRESHOLD, &v,
				      sizeof(v));
}

static zx_status_t call_duplicate(zx_handle_t h, zx_handle_t peer)
{
	zx_handle_t out;
	zx_status_t st = zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &out);

	if (st == ZX_OK)
		zx_handle_close(out);
	return st;
}

static const struct call calls_needing_rights[] = {
	{ "zx_socket_write", ZX_RIGHT_WRITE, call_write },
	{ "zx_socket_read", ZX_RIGHT_READ, call_read },
	{ "zx_socket_read(PEEK)", ZX_RIGHT_READ, call_peek },
	{ "zx_socket_set_disposition", ZX_RIGHT_MANAGE_SOCKET,
	  call_set_disposition },
	{ "zx_socket_shutdown", ZX_RIGHT_WRITE, call_shutdown },
	{ "zx_object_wait_one", ZX_RIGHT_WAIT, call_wait_one },
	{ "zx_object_wait_many", ZX_RIGHT_WAIT, call_wait_many },
	{ "zx_object_signal", ZX_RIGHT_SIGNAL, call_signal },
	{ "zx_object_signal_peer", ZX_RIGHT_SIGNAL_PEER, call_signal_peer },
	{ "zx_object_get_info(SOCKET)", ZX_RIGHT_INSPECT, call_info_socket },
	{ "zx_object_get_property", ZX_RIGHT_GET_PROPERTY, call_get_property },
	{ "zx_object_set_property", ZX_RIGHT_SET_PROPERTY, call_set_property },
	{ "zx_handle_duplicate", ZX_RIGHT_DUPLICATE, call_duplicate },
};

TEST(each_call_denied_without_its_right)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(calls_needing_rights); i++) {
		const struct call *c = &calls_needing_rights[i];
		zx_handle_t h[2], lacking;

		ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
		lacking = zxs_handle_with_rights(
			h[0], ZX_DEFAULT_SOCKET_RIGHTS & ~c->right);
		ASSERT_NE(ZX_HANDLE_INVALID, lacking);
		EXPECT_EQ(ZX_ERR_ACCESS_DENIED, c->fn(lacking, h[1]))
			TH_LOG("%s without right %#x", c->name, c->right);
		/* Nothing else stood in the way: with the right it works. */
		EXPECT_EQ(ZX_OK, c->fn(h[0], h[1]))
			TH_LOG("%s with all rights", c->name);
		zx_handle_close(lacking);
		zx_handle_close(h[0]);
		zx_handle_close(h[1]);
	}
}

TEST(missing_right_reported_before_state_errors)
{
	zx_handle_t h[2], no_read, no_write, no_peer;
	size_t v = 1;
	char c;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	no_read = zxs_handle_with_rights(h[0], ZX_DEFAULT_SOCKET_RIGHTS &
					 ~ZX_RIGHT_READ);
	no_write = zxs_handle_with_rights(h[0], ZX_DEFAULT_SOCKET_RIGHTS &
					  ~ZX_RIGHT_WRITE);
	no_peer = zxs_handle_with_rights(h[0], ZX_DEFAULT_SOCKET_RIGHTS &
					 ~(ZX_RIGHT_SIGNAL_PEER |
					   ZX_RIGHT_SET_PROPERTY));
	ASSERT_NE(ZX_HANDLE_INVALID, no_read);
	ASSERT_NE(ZX_HANDLE_INVALID, no_write);
	ASSERT_NE(ZX_HANDLE_INVALID, no_peer);

	/* Empty queue: SHOULD_WAIT would be next, but the right comes first. */
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_read(no_read, 0, &c, 1,
						       NULL));
	/* A NULL buffer is an argument error, which precedes the right. */
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_read(no_read, 0, NULL, 1,
						      NULL));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS, zx_socket_write(no_write, 0, NULL, 1,
						       NULL));

	zx_handle_close(h[1]);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_read(no_read, 0, &c, 1,
						       NULL));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_write(no_write, 0, "x", 1,
							NULL));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_socket_write(no_write, 0, "x", 0,
							NULL));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_signal_peer(no_peer, 0, ZX_USER_SIGNAL_0));
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED,
		  zx_object_set_property(no_peer, ZX_PROP_SOCKET_TX_THRESHOLD,
					 &v, sizeof(v)));
	/* The same calls with the rights report the dead peer. */
	EXPECT_EQ(ZX_ERR_PEER_CLOSED, zx_socket_write(h[0], 0, "x", 1, NULL));
	EXPECT_EQ(ZX_ERR_PEER_CLOSED,
		  zx_object_signal_peer(h[0], 0, ZX_USER_SIGNAL_0));
	zx_handle_close(no_read);
	zx_handle_close(no_write);
	zx_handle_close(no_peer);
	zx_handle_close(h[0]);
}

TEST(read_and_write_syscalls_need_read_and_write_rights)
{
	zx_handle_t h[2], no_read, no_write;
	char c = 0;

	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	no_read = zxs_handle_with_rights(h[0], ZX_DEFAULT_SOCKET_RIGHTS &
					 ~ZX_RIGHT_READ);
	no_write = zxs_handle_with_rights(h[0], ZX_DEFAULT_SOCKET_RIGHTS &
					  ~ZX_RIGHT_WRITE);
	ASSERT_NE(ZX_HANDLE_INVALID, no_read);
	ASSERT_NE(ZX_HANDLE_INVALID, no_write);
	ASSERT_EQ(ZX_OK, write_str(h[1], "ab"));

	EXPECT_EQ(-1, read((int)no_read, &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, write((int)no_write, "x", 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0, zxs_queued(h[1]));

	/* The rights each fd does have work through the syscalls too. */
	EXPECT_EQ(1, read((int)no_write, &c, 1));
	EXPECT_EQ('a', c);
	EXPECT_EQ(1, write((int)no_read, "y", 1));
	EXPECT_EQ(1, zxs_queued(h[1]));
	zx_handle_close(no_read);
	zx_handle_close(no_write);
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

/* ===================================================== handle errors */

static zx_status_t call_replace(zx_handle_t h, zx_handle_t peer)
{
	zx_handle_t out;
	zx_status_t st = zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, &out);

	if (st == ZX_OK)
		zx_handle_close(out);
	return st;
}

static const struct call calls_without_rights[] = {
	{ "zx_object_get_info(HANDLE_BASIC)", 0, call_info_basic },
	{ "zx_handle_replace", 0, call_replace },
};

static void expect_handle_errors(struct __test_metadata *_metadata,
				 const struct call *c, zx_handle_t peer,
				 zx_handle_t closed, zx_handle_t pipe_fd,
				 zx_handle_t file_fd)
{
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, c->fn(ZX_HANDLE_INVALID, peer))
		TH_LOG("%s(ZX_HANDLE_INVALID)", c->name);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, c->fn(closed, peer))
		TH_LOG("%s(closed fd)", c->name);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, c->fn((zx_handle_t)INT_MAX + 1, peer))
		TH_LOG("%s(fd > INT_MAX)", c->name);
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, c->fn(pipe_fd, peer))
		TH_LOG("%s(pipe)", c->name);
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, c->fn(file_fd, peer))
		TH_LOG("%s(/dev/null)", c->name);
}

TEST(handle_errors_bad_handle_then_wrong_type)
{
	zx_handle_t h[2], closed;
	int p[2], file;
	size_t i;

	/*
	 * Make sure fd 0 is open: ZX_HANDLE_INVALID must be refused as a
	 * handle, not passed to the kernel as "fd 0" and found to be the
	 * wrong type of file.
	 */
	if (!zxs_fd_is_open(0)) {
		ASSERT_EQ(0, open("/dev/null", O_RDONLY));
	}
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	file = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, file);
	closed = (zx_handle_t)zxs_closed_fd();
	ASSERT_LT(0, (int)closed);

	for (i = 0; i < ARRAY_SIZE(calls_needing_rights); i++)
		expect_handle_errors(_metadata, &calls_needing_rights[i], h[1],
				     closed, p[0], file);
	for (i = 0; i < ARRAY_SIZE(calls_without_rights); i++)
		expect_handle_errors(_metadata, &calls_without_rights[i], h[1],
				     closed, p[0], file);
	/* Replacing something that is no handle did not close it. */
	EXPECT_TRUE(zxs_fd_is_open(p[0]));
	EXPECT_TRUE(zxs_fd_is_open(file));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

TEST(option_errors_reported_before_handle_errors)
{
	static zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS + 1];
	char c;

	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read(ZX_HANDLE_INVALID, 0xffff, &c, 1, NULL));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_read((zx_handle_t)zxs_closed_fd(), 1u << 0, &c, 1,
				 NULL));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_write(ZX_HANDLE_INVALID, ZX_SOCKET_PEEK, "x", 1,
				  NULL));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_shutdown(ZX_HANDLE_INVALID, 1u << 2));
	EXPECT_EQ(ZX_ERR_INVALID_ARGS,
		  zx_socket_set_disposition(ZX_HANDLE_INVALID, 0, 3));
	/* Too many items is found before the (invalid) handles in them. */
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_object_wait_many(items, ARRAY_SIZE(items), 0));
}

/* =========================================================== wait_one */

TEST_F(sock, wait_one_satisfied_returns_at_once_even_past_deadline)
{
	static const zx_time_t deadlines[] = { 0, ZX_TIME_INFINITE_PAST, 1 };
	zx_signals_t observed;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(deadlines); i++) {
		observed = 0;
		EXPECT_EQ(ZX_OK, zx_object_wait_one(self->h[0], W | R,
						    deadlines[i], &observed));
		EXPECT_EQ(W, observed);
	}
	observed = 0;
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->h[0], W,
					    zx_clock_get_monotonic() -
					    ZXS_NSEC_PER_SEC, &observed));
	EXPECT_EQ(W, observed);
	/* observed may be NULL. */
	EXPECT_EQ(ZX_OK, zx_object_wait_one(self->h[0], W, 0, NULL));
}

TEST_F(sock, wait_one_no_signals_zero_deadline_samples_state)
{
	zx_signals_t observed = 0;

	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_object_wait_one(self->h[1], 0, 0,
						       &observed));
	EXPECT_EQ(W, observed);
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "x"));
	ASSERT_EQ(ZX_OK, zx_object_signal(self->h[1], 0, ZX_USER_SIGNAL_3));
	observed = 0;
	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_object_wait_one(self->h[1], 0, 0,
						       &observed));
	EXPECT_EQ(W | R | ZX_USER_SIGNAL_3, observed);
}

TEST_F(sock, wait_one_times_out_at_deadline)
{
	zx_time_t start = zx_clock_get_monotonic();
	zx_time_t deadline = start + ZXS_SHORT_NS;
	zx_signals_t observed = 0;

	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_object_wait_one(self->h[0], R, deadline,
						       &observed));
	EXPECT_LE(deadline, zx_clock_get_monotonic());
	EXPECT_EQ(W, observed);

	/* zx_deadline_after() is relative to the same clock. */
	start = zx_clock_get_monotonic();
	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_one(self->h[0], R,
				     zx_deadline_after(ZXS_SHORT_NS), NULL));
	EXPECT_LE(start + ZXS_SHORT_NS, zx_clock_get_monotonic());
}

TEST_F(sock, wait_one_observed_untouched_on_error)
{
	zx_handle_t no_wait = zxs_handle_with_rights(
		self->h[0], ZX_DEFAULT_SOCKET_RIGHTS & ~ZX_RIGHT_WAIT);
	zx_signals_t observed = 0x5a5a;

	ASSERT_NE(ZX_HANDLE_INVALID, no_wait);
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_object_wait_one(no_wait, W, 0,
							   &observed));
	EXPECT_EQ(0x5a5a, observed);
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_object_wait_one(ZX_HANDLE_INVALID, W,
							0, &observed));
	EXPECT_EQ(0x5a5a, observed);
	zx_handle_close(no_wait);
}

TEST_F(sock, wait_one_woken_by_write_from_another_thread)
{
	struct zxs_waiter w = { .handle = self->h[1], .signals = R };

	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, write_str(self->h[0], "wake"));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W | R, w.observed);
	EXPECT_GT(w.deadline, w.returned_at);
}

TEST_F(sock, wait_one_woken_by_peer_close)
{
	struct zxs_waiter w = { .handle = self->h[1], .signals = PC };

	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	zxs_close(&self->h[0]);
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(PC, w.observed);
}

TEST_F(sock, wait_one_woken_by_disposition)
{
	/* One disable changes both ends: a waiter on each must wake. */
	struct zxs_waiter reader = { .handle = self->h[1], .signals = PWD };
	struct zxs_waiter writer = { .handle = self->h[0], .signals = WD };

	reader.deadline = writer.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&reader));
	ASSERT_EQ(0, zxs_waiter_start(&writer));
	EXPECT_FALSE(zxs_waiter_returned(&reader));
	EXPECT_FALSE(zxs_waiter_returned(&writer));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[0], ZX_SOCKET_DISPOSITION_WRITE_DISABLED, 0));
	zxs_waiter_join(&reader);
	zxs_waiter_join(&writer);
	EXPECT_EQ(ZX_OK, reader.status);
	EXPECT_EQ(W | PWD, reader.observed);
	EXPECT_EQ(ZX_OK, writer.status);
	EXPECT_EQ(WD, writer.observed);
}

TEST_F(sock, wait_one_woken_by_reenable)
{
	struct zxs_waiter w = { .handle = self->h[0], .signals = W };

	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_DISABLED));
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, zx_socket_set_disposition(
			self->h[1], 0, ZX_SOCKET_DISPOSITION_WRITE_ENABLED));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W, w.observed);
}

TEST_F(sock, wait_one_woken_by_user_signal)
{
	struct zxs_waiter w = { .handle = self->h[1],
				.signals = ZX_USER_SIGNAL_5 };

	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	/* Another user signal is not the one it waits for. */
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[0], 0,
					       ZX_USER_SIGNAL_4));
	zxs_sleep_ns(ZXS_SETTLE_NS);
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, zx_object_signal_peer(self->h[0], 0,
					       ZX_USER_SIGNAL_5));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_EQ(W | ZX_USER_SIGNAL_4 | ZX_USER_SIGNAL_5, w.observed);
}

/* ========================================================== wait_many */

TEST(wait_many_count_zero_sleeps_until_deadline)
{
	zx_time_t deadline = zx_deadline_after(ZXS_SHORT_NS);

	EXPECT_EQ(ZX_ERR_TIMED_OUT, zx_object_wait_many(NULL, 0, deadline));
	EXPECT_LE(deadline, zx_clock_get_monotonic());
}

TEST(wait_many_more_than_64_items_out_of_range)
{
	zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS + 1];
	zx_handle_t h[2];
	size_t i;

	EXPECT_EQ(64, ZX_WAIT_MANY_MAX_ITEMS);
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	for (i = 0; i < ARRAY_SIZE(items); i++)
		items[i] = (zx_wait_item_t){ .handle = h[i % 2],
					     .waitfor = W };
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE,
		  zx_object_wait_many(items, ARRAY_SIZE(items), 0));
	EXPECT_EQ(ZX_ERR_OUT_OF_RANGE, zx_object_wait_many(items, SIZE_MAX, 0));
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

TEST(wait_many_64_items_every_pending_filled)
{
	zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS];
	zx_handle_t h[ZX_WAIT_MANY_MAX_ITEMS];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(h); i += 2) {
		ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[i], &h[i + 1]));
	}
	for (i = 0; i < ARRAY_SIZE(items); i++)
		items[i] = (zx_wait_item_t){ .handle = h[i], .waitfor = R,
					     .pending = 0x5a5a };
	/* Nothing readable yet: a timeout, with every item's state. */
	EXPECT_EQ(ZX_ERR_TIMED_OUT,
		  zx_object_wait_many(items, ARRAY_SIZE(items), 0));
	for (i = 0; i < ARRAY_SIZE(items); i++) {
		EXPECT_EQ(W, items[i].pending) TH_LOG("item %zu", i);
	}

	/* Item 41 (pair 20's second end) becomes readable. */
	ASSERT_EQ(ZX_OK, write_str(h[40], "x"));
	EXPECT_EQ(ZX_OK, zx_object_wait_many(items, ARRAY_SIZE(items),
					     zx_deadline_after(ZXS_LONG_NS)));
	for (i = 0; i < ARRAY_SIZE(items); i++) {
		EXPECT_EQ(i == 41 ? W | R : W, items[i].pending)
			TH_LOG("item %zu", i);
	}
	for (i = 0; i < ARRAY_SIZE(h); i++)
		zx_handle_close(h[i]);
}

TEST(wait_many_woken_by_one_of_many)
{
	zx_wait_item_t items[8];
	zx_handle_t h[8][2];
	struct zxs_waiter w = { .items = items, .count = 8 };
	size_t i;

	for (i = 0; i < 8; i++) {
		ASSERT_EQ(ZX_OK, zx_socket_create(i % 2 ? ZX_SOCKET_DATAGRAM : 0,
						  &h[i][0], &h[i][1]));
		items[i] = (zx_wait_item_t){ .handle = h[i][1],
					     .waitfor = R | PC };
	}
	w.deadline = zx_deadline_after(ZXS_LONG_NS);
	ASSERT_EQ(0, zxs_waiter_start(&w));
	EXPECT_FALSE(zxs_waiter_returned(&w));
	ASSERT_EQ(ZX_OK, write_str(h[5][0], "five"));
	zxs_waiter_join(&w);
	EXPECT_EQ(ZX_OK, w.status);
	EXPECT_GT(w.deadline, w.returned_at);
	for (i = 0; i < 8; i++) {
		EXPECT_EQ(i == 5 ? W | R : W, items[i].pending)
			TH_LOG("item %zu", i);
	}
	for (i = 0; i < 8; i++) {
		zx_handle_close(h[i][0]);
		zx_handle_close(h[i][1]);
	}
}

TEST(wait_many_item_handle_errors)
{
	zx_wait_item_t items[2];
	zx_handle_t h[2], no_wait;
	int p[2];

	if (!zxs_fd_is_open(0)) {
		ASSERT_EQ(0, open("/dev/null", O_RDONLY));
	}
	ASSERT_EQ(ZX_OK, zx_socket_create(0, &h[0], &h[1]));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	no_wait = zxs_handle_with_rights(h[1], ZX_DEFAULT_SOCKET_RIGHTS &
					 ~ZX_RIGHT_WAIT);
	ASSERT_NE(ZX_HANDLE_INVALID, no_wait);
	items[0] = (zx_wait_item_t){ .handle = h[0], .waitfor = W };
	items[1] = (zx_wait_item_t){ .handle = ZX_HANDLE_INVALID,
				     .waitfor = W };
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_object_wait_many(items, 2, 0));
	items[1].handle = (zx_handle_t)zxs_closed_fd();
	EXPECT_EQ(ZX_ERR_BAD_HANDLE, zx_object_wait_many(items, 2, 0));
	items[1].handle = (zx_handle_t)p[0];
	EXPECT_EQ(ZX_ERR_WRONG_TYPE, zx_object_wait_many(items, 2, 0));
	items[1].handle = no_wait;
	EXPECT_EQ(ZX_ERR_ACCESS_DENIED, zx_object_wait_many(items, 2, 0));
	items[1].handle = h[1];
	EXPECT_EQ(ZX_OK, zx_object_wait_many(items, 2, 0));
	zx_handle_close(no_wait);
	zx_handle_close(h[0]);
	zx_handle_close(h[1]);
}

/* ================================================== status strings */

TEST(status_get_string_names_statuses)
{
	static const struct {
		zx_status_t status;
		const char *name;
	} names[] = {
		{ ZX_OK, "ZX_OK" },
		{ ZX_ERR_INTERNAL, "ZX_ERR_INTERNAL" },
		{ ZX_ERR_NOT_SUPPORTED, "ZX_ERR_NOT_SUPPORTED" },
		{ ZX_ERR_NO_RESOURCES, "ZX_ERR_NO_RESOURCES" },
		{ ZX_ERR_NO_MEMORY, "ZX_ERR_NO_MEMORY" },
		{ ZX_ERR_INVALID_ARGS, "ZX_ERR_INVALID_ARGS" },
		{ ZX_ERR_BAD_HANDLE, "ZX_ERR_BAD_HANDLE" },
		{ ZX_ERR_WRONG_TYPE, "ZX_ERR_WRONG_TYPE" },
		{ ZX_ERR_BAD_SYSCALL, "ZX_ERR_BAD_SYSCALL" },
		{ ZX_ERR_OUT_OF_RANGE, "ZX_ERR_OUT_OF_RANGE" },
		{ ZX_ERR_BUFFER_TOO_SMALL, "ZX_ERR_BUFFER_TOO_SMALL" },
		{ ZX_ERR_BAD_STATE, "ZX_ERR_BAD_STATE" },
		{ ZX_ERR_TIMED_OUT, "ZX_ERR_TIMED_OUT" },
		{ ZX_ERR_SHOULD_WAIT, "ZX_ERR_SHOULD_WAIT" },
		{ ZX_ERR_CANCELED, "ZX_ERR_CANCELED" },
		{ ZX_ERR_PEER_CLOSED, "ZX_ERR_PEER_CLOSED" },
		{ ZX_ERR_NOT_FOUND, "ZX_ERR_NOT_FOUND" },
		{ ZX_ERR_ALREADY_EXISTS, "ZX_ERR_ALREADY_EXISTS" },
		{ ZX_ERR_ALREADY_BOUND, "ZX_ERR_ALREADY_BOUND" },
		{ ZX_ERR_UNAVAILABLE, "ZX_ERR_UNAVAILABLE" },
		{ ZX_ERR_ACCESS_DENIED, "ZX_ERR_ACCESS_DENIED" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *s = zx_status_get_string(names[i].status);

		ASSERT_NE(NULL, s);
		EXPECT_STREQ(names[i].name, s);
	}
	/* The numbers of section 3, which the names above stand for. */
	EXPECT_EQ(-10, ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(-24, ZX_ERR_PEER_CLOSED);
	EXPECT_EQ(-30, ZX_ERR_ACCESS_DENIED);
	/* Values Fuchsia does not define get a string, never NULL. */
	EXPECT_STREQ("(UNKNOWN)", zx_status_get_string(-12345));
	EXPECT_STREQ("(UNKNOWN)", zx_status_get_string(1));
}

TEST_HARNESS_MAIN
