// SPDX-License-Identifier: GPL-2.0
/*
 * The example programs (examples/ in the source tree), run as a user would run them: each
 * binary from $ZXS_EXAMPLES (scripts/vm-run puts build/examples there) must
 * exit 0 and print what shows it did its job.  Every program in that
 * directory must have a test here.
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "zxs_test_common.h"
#include "kselftest_harness.h"

#define EXAMPLE_OUTPUT_MAX	8192
#define EXAMPLE_TIMEOUT_S	60

static const char *const known_examples[] = {
	"demo", "fuchsia_style", "threshold", "share_accept", "epoll_server",
};

static const char *examples_dir(void)
{
	const char *d = getenv("ZXS_EXAMPLES");

	return d && *d ? d : "/examples";
}

struct run {
	int status;		/* waitpid() status, or -1 */
	char out[EXAMPLE_OUTPUT_MAX];
};

/*
 * Run examples_dir()/name with stdout and stderr in r->out.  Returns false
 * if the binary does not exist.  A program still running after
 * EXAMPLE_TIMEOUT_S is killed (status says so).
 */
static bool run_example(const char *name, struct run *r)
{
	char path[512];
	size_t len = 0;
	int pipefd[2];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", examples_dir(), name);
	r->status = -1;
	r->out[0] = '\0';
	if (access(path, X_OK) != 0)
		return false;
	if (pipe(pipefd) != 0)
		return true;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		alarm(EXAMPLE_TIMEOUT_S);	/* survives exec: SIGALRM kills */
		execl(path, name, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n = read(pipefd[0], r->out + len, sizeof(r->out) - 1 - len);

		if (n <= 0)
			break;
		len += n;
		if (len == sizeof(r->out) - 1)
			break;
	}
	r->out[len] = '\0';
	close(pipefd[0]);
	if (pid > 0)
		waitpid(pid, &r->status, 0);
	return true;
}

#define EXPECT_RUN_OK(r) do {						\
	EXPECT_TRUE(WIFEXITED((r)->status) && WEXITSTATUS((r)->status) == 0) \
		TH_LOG("status 0x%x, output:\n%s", (r)->status, (r)->out);	\
} while (0)

#define EXPECT_SAYS(r, text)						\
	EXPECT_NE(NULL, strstr((r)->out, text))			\
		TH_LOG("no \"%s\" in:\n%s", text, (r)->out)

#define RUN_OR_FAIL(name, r) do {					\
	if (!run_example(name, r))					\
		ASSERT_TRUE(false) TH_LOG("no %s/%s", examples_dir(), name); \
} while (0)

TEST(demo)
{
	static struct run r;

	RUN_OR_FAIL("demo", &r);
	EXPECT_RUN_OK(&r);
	EXPECT_SAYS(&r, "demo: OK");
}

TEST(fuchsia_style)
{
	static struct run r;

	RUN_OR_FAIL("fuchsia_style", &r);
	EXPECT_RUN_OK(&r);
	EXPECT_SAYS(&r, "fuchsia_style: 35 squared is 1225");
	EXPECT_SAYS(&r, "fuchsia_style: OK");
}

TEST(threshold)
{
	static struct run r;

	RUN_OR_FAIL("threshold", &r);
	EXPECT_RUN_OK(&r);
	EXPECT_SAYS(&r, "producer: 1048576 bytes");
	EXPECT_SAYS(&r, "consumer: 1048576 bytes");
	EXPECT_SAYS(&r, ", 0 below the threshold");
	EXPECT_SAYS(&r, "threshold: OK");
}

TEST(share_accept)
{
	static struct run r;

	RUN_OR_FAIL("share_accept", &r);
	EXPECT_RUN_OK(&r);
	EXPECT_SAYS(&r, "worker: accepted a socket, read \"here is your socket\"");
	EXPECT_SAYS(&r, "parent: read \"worker got it\"");
	EXPECT_SAYS(&r, "share_accept: OK");
}

/* Written with the epoll work; only its exit status is checked here. */
TEST(epoll_server)
{
	static struct run r;

	if (!run_example("epoll_server", &r))
		SKIP(return, "no epoll_server example in %s", examples_dir());
	EXPECT_RUN_OK(&r);
}

TEST(every_example_has_a_test)
{
	DIR *d = opendir(examples_dir());
	struct dirent *e;
	int programs = 0;

	ASSERT_NE(NULL, d) TH_LOG("cannot open %s", examples_dir());
	while ((e = readdir(d))) {
		bool known = false;

		if (e->d_name[0] == '.')
			continue;
		programs++;
		for (size_t i = 0; i < sizeof(known_examples) / sizeof(known_examples[0]); i++)
			known = known || !strcmp(e->d_name, known_examples[i]);
		EXPECT_TRUE(known) TH_LOG("%s has no test in examples_test", e->d_name);
	}
	closedir(d);
	EXPECT_GE(programs, 4);
}

TEST_HARNESS_MAIN
