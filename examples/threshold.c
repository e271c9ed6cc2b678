// SPDX-License-Identifier: MIT
/*
 * threshold: a producer and a consumer that wake only for big batches.
 *
 * The parent makes a stream socket and forks.  The child, the producer,
 * sets its write threshold (ZX_PROP_SOCKET_TX_THRESHOLD) to one chunk and
 * waits for ZX_SOCKET_WRITE_THRESHOLD before each write, so it sleeps while
 * the consumer is behind instead of spinning on ZX_ERR_SHOULD_WAIT.  The
 * parent, the consumer, sets its read threshold (ZX_PROP_SOCKET_RX_THRESHOLD)
 * to a batch and waits for ZX_SOCKET_READ_THRESHOLD (or PEER_CLOSED for the
 * tail), so each wakeup finds at least a batch to read.
 *
 * The bytes follow a pattern the consumer checks.  Prints what happened
 * and "threshold: OK", exit status 0, if every byte arrived in order, no
 * thresholded wakeup found less than a batch, and the producer exited 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zircon/syscalls.h>

#define TOTAL		(1024 * 1024)
#define CHUNK		(16 * 1024)
#define BATCH		(64 * 1024)
#define TIMEOUT		ZX_SEC(20)

static uint8_t pattern(size_t offset)
{
	return (uint8_t)(offset * 31 + (offset >> 12));
}

static int producer(zx_handle_t h)
{
	static uint8_t buf[CHUNK];
	size_t threshold = CHUNK, sent = 0;
	unsigned int waits = 0;
	zx_status_t st;

	st = zx_object_set_property(h, ZX_PROP_SOCKET_TX_THRESHOLD,
				    &threshold, sizeof(threshold));
	if (st != ZX_OK) {
		printf("producer: set TX threshold: %s\n", zx_status_get_string(st));
		return 1;
	}
	while (sent < TOTAL) {
		size_t n = TOTAL - sent < CHUNK ? TOTAL - sent : CHUNK, actual;
		zx_signals_t seen;

		st = zx_object_wait_one(h, ZX_SOCKET_WRITE_THRESHOLD | ZX_SOCKET_PEER_CLOSED,
					zx_deadline_after(TIMEOUT), &seen);
		if (st != ZX_OK || (seen & ZX_SOCKET_PEER_CLOSED)) {
			printf("producer: wait: %s\n", zx_status_get_string(st));
			return 1;
		}
		waits++;
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		/* A whole chunk fits: the threshold said so. */
		st = zx_socket_write(h, 0, buf, n, &actual);
		if (st != ZX_OK || actual != n) {
			printf("producer: write: %s (%zu of %zu)\n",
			       zx_status_get_string(st), actual, n);
			return 1;
		}
		sent += n;
	}
	printf("producer: %d bytes in %u writes\n", TOTAL, waits);
	zx_handle_close(h);
	return 0;
}

static bool consumer(zx_handle_t h)
{
	static uint8_t buf[BATCH * 2];
	size_t threshold = BATCH, got = 0;
	unsigned int wakeups = 0, short_wakeups = 0;
	zx_status_t st;

	st = zx_object_set_property(h, ZX_PROP_SOCKET_RX_THRESHOLD,
				    &threshold, sizeof(threshold));
	if (st != ZX_OK) {
		printf("consumer: set RX threshold: %s\n", zx_status_get_string(st));
		return false;
	}
	for (;;) {
		zx_signals_t seen;
		zx_info_socket_t info;
		size_t actual;

		st = zx_object_wait_one(h, ZX_SOCKET_READ_THRESHOLD | ZX_SOCKET_PEER_CLOSED,
					zx_deadline_after(TIMEOUT), &seen);
		if (st != ZX_OK) {
			printf("consumer: wait: %s\n", zx_status_get_string(st));
			return false;
		}
		wakeups++;
		st = zx_object_get_info(h, ZX_INFO_SOCKET, &info, sizeof(info), NULL, NULL);
		if (st != ZX_OK)
			return false;
		if (!(seen & ZX_SOCKET_PEER_CLOSED) && info.rx_buf_size < BATCH)
			short_wakeups++;
		/* Drain what is there. */
		for (;;) {
			st = zx_socket_read(h, 0, buf, sizeof(buf), &actual);
			if (st != ZX_OK)
				break;
			for (size_t i = 0; i < actual; i++) {
				if (buf[i] != pattern(got + i)) {
					printf("consumer: byte %zu is wrong\n", got + i);
					return false;
				}
			}
			got += actual;
		}
		if (st == ZX_ERR_PEER_CLOSED)
			break;
		if (st != ZX_ERR_SHOULD_WAIT) {
			printf("consumer: read: %s\n", zx_status_get_string(st));
			return false;
		}
	}
	printf("consumer: %zu bytes in %u wakeups (batch %d), %u below the threshold\n",
	       got, wakeups, BATCH, short_wakeups);
	return got == TOTAL && short_wakeups == 0;
}

int main(void)
{
	zx_handle_t a, b;
	int status;
	bool ok;
	pid_t pid;
	zx_status_t st = zx_socket_create(ZX_SOCKET_STREAM, &a, &b);

	if (st != ZX_OK) {
		printf("threshold: zx_socket_create: %s\n", zx_status_get_string(st));
		return 1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		zx_handle_close(b);
		status = producer(a);
		fflush(stdout);
		_exit(status);
	}
	zx_handle_close(a);
	ok = consumer(b);
	zx_handle_close(b);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("threshold: the producer failed\n");
		ok = false;
	}
	printf("threshold: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
