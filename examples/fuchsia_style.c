// SPDX-License-Identifier: MIT
/*
 * fuchsia_style: a program written as for Fuchsia, built unchanged on Linux.
 *
 * It uses only the C library and <zircon/...> headers, in the style of a
 * Fuchsia component: a "server" thread owns one end of a datagram socket
 * and serves requests from a port-driven loop (zx_object_wait_async +
 * zx_port_wait, re-arming after each packet); the main thread is the
 * client.  A user packet (zx_port_queue) tells the loop to stop.
 *
 * Each request is a decimal number; the reply is its square.  The program
 * prints one line per exchange and "fuchsia_style: OK", exit status 0, when
 * every reply is right.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#define KEY_SOCKET	1u
#define KEY_QUIT	2u
#define REQUESTS	5

struct server {
	zx_handle_t socket;
	zx_handle_t port;
	zx_status_t status;
	int served;
};

static zx_status_t arm(struct server *s)
{
	return zx_object_wait_async(s->socket, s->port, KEY_SOCKET,
				    ZX_SOCKET_READABLE | ZX_SOCKET_PEER_CLOSED, 0);
}

/* Answer every request queued on the socket. */
static zx_status_t serve_pending(struct server *s)
{
	char req[32], reply[32];
	size_t actual;

	for (;;) {
		zx_status_t st = zx_socket_read(s->socket, 0, req, sizeof(req) - 1,
						&actual);

		if (st == ZX_ERR_SHOULD_WAIT)
			return ZX_OK;
		if (st != ZX_OK)
			return st;
		req[actual] = '\0';
		long v = strtol(req, NULL, 10);

		snprintf(reply, sizeof(reply), "%ld", v * v);
		st = zx_socket_write(s->socket, 0, reply, strlen(reply), NULL);
		if (st != ZX_OK)
			return st;
		s->served++;
	}
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	zx_port_packet_t packet;
	zx_status_t st = arm(s);

	while (st == ZX_OK) {
		st = zx_port_wait(s->port, ZX_TIME_INFINITE, &packet);
		if (st != ZX_OK)
			break;
		if (packet.type == ZX_PKT_TYPE_USER && packet.key == KEY_QUIT)
			break;
		if (packet.type != ZX_PKT_TYPE_SIGNAL_ONE || packet.key != KEY_SOCKET) {
			st = ZX_ERR_INTERNAL;
			break;
		}
		if (packet.signal.observed & ZX_SOCKET_READABLE)
			st = serve_pending(s);
		if (st == ZX_OK && (packet.signal.observed & ZX_SOCKET_PEER_CLOSED))
			break;
		if (st == ZX_OK)
			st = arm(s);	/* a wait fires once */
	}
	s->status = st;
	return NULL;
}

int main(void)
{
	struct server s = { .status = ZX_OK };
	zx_handle_t client;
	pthread_t thread;
	zx_status_t st;
	int ok = 1;

	st = zx_socket_create(ZX_SOCKET_DATAGRAM, &client, &s.socket);
	if (st == ZX_OK)
		st = zx_port_create(0, &s.port);
	if (st != ZX_OK) {
		printf("fuchsia_style: setup: %s\n", zx_status_get_string(st));
		return 1;
	}
	if (pthread_create(&thread, NULL, server_main, &s) != 0)
		return 1;

	for (long i = 1; i <= REQUESTS; i++) {
		char req[32], reply[32];
		zx_signals_t seen = 0;
		size_t actual = 0;

		snprintf(req, sizeof(req), "%ld", i * 7);
		st = zx_socket_write(client, 0, req, strlen(req), NULL);
		if (st == ZX_OK)
			st = zx_object_wait_one(client, ZX_SOCKET_READABLE,
						zx_deadline_after(ZX_SEC(10)), &seen);
		if (st == ZX_OK)
			st = zx_socket_read(client, 0, reply, sizeof(reply) - 1, &actual);
		if (st != ZX_OK) {
			printf("fuchsia_style: request %ld: %s\n", i, zx_status_get_string(st));
			ok = 0;
			break;
		}
		reply[actual] = '\0';
		printf("fuchsia_style: %s squared is %s\n", req, reply);
		if (strtol(reply, NULL, 10) != i * 7 * i * 7)
			ok = 0;
	}

	zx_port_packet_t quit;

	memset(&quit, 0, sizeof(quit));
	quit.key = KEY_QUIT;
	quit.type = ZX_PKT_TYPE_USER;
	st = zx_port_queue(s.port, &quit);
	if (st != ZX_OK)
		ok = 0;
	pthread_join(thread, NULL);
	if (s.status != ZX_OK || s.served != REQUESTS) {
		printf("fuchsia_style: server: %s, %d served\n",
		       zx_status_get_string(s.status), s.served);
		ok = 0;
	}
	zx_handle_close(client);
	zx_handle_close(s.socket);
	zx_handle_close(s.port);
	printf("fuchsia_style: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
