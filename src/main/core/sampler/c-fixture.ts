/**
 * A small C program the sampler's tests and benchmark run as real processes, compiled on
 * demand with `cc` into a private temporary folder. C rather than Node because the shapes that
 * matter — threads created by a thread while main sleeps in join, argv rewritten in place,
 * prctl(PR_SET_NAME), exec under the same pid, O_DIRECT writes — need exact control of which
 * thread does what. Test and bench support only; nothing in the app uses it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `fixture mix N BUSY_US PERIOD_MS`: N threads in all; with BUSY_US > 0 one of them spins
 * BUSY_US every PERIOD_MS, the others sleep; main sleeps in pthread_join.
 * `fixture cmd st|mt`: a command loop on stdin, run by main (st) or by a second thread while
 * main sleeps in join (mt); each command answers one line (`ok`, `ok <n>` or `err <errno>`):
 * spin K | stop | threads K | alloc MB | name X | argv X | open K | write PATH MB | read PATH
 * (answers `ok <bytes>`) | fork |
 * killchild | exec PROG [ARGS…] (answers before it execs) | exit.
 */
const SOURCE = String.raw`
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static char *arg_start; static size_t arg_len;
static atomic_int spin_on; static pthread_t spinners[64]; static int n_spin;
static long busy_us, period_ms; static pid_t child;

static double now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e6 + t.tv_nsec / 1e3; }
static void *sleeper(void *a) { (void)a; for (;;) pause(); return 0; }
static void *spinner(void *a) { (void)a; while (atomic_load(&spin_on)) {} return 0; }
static void *duty(void *a) {
  (void)a;
  struct timespec p = { period_ms / 1000, (period_ms % 1000) * 1000000L };
  for (;;) { double end = now_us() + busy_us; while (now_us() < end) {} nanosleep(&p, 0); }
  return 0;
}
static void start(void *(*f)(void *)) { pthread_t t; pthread_create(&t, 0, f, 0); pthread_detach(t); }
static void reply(const char *s) { fputs(s, stdout); fputc('\n', stdout); fflush(stdout); }
static void reply_err(void) { printf("err %d\n", errno); fflush(stdout); }

static void command(char *line) {
  char *w = strtok(line, " \n");
  if (!w) return;
  char *a = strtok(0, " \n");
  long k = a ? atol(a) : 0;
  if (!strcmp(w, "spin")) {
    atomic_store(&spin_on, 1);
    for (long i = 0; i < k && n_spin < 64; i++) pthread_create(&spinners[n_spin++], 0, spinner, 0);
    reply("ok");
  } else if (!strcmp(w, "stop")) {
    atomic_store(&spin_on, 0);
    while (n_spin) pthread_join(spinners[--n_spin], 0);
    reply("ok");
  } else if (!strcmp(w, "threads")) {
    for (long i = 0; i < k; i++) start(sleeper);
    reply("ok");
  } else if (!strcmp(w, "alloc")) {
    char *p = malloc(k << 20);
    if (!p) { reply_err(); return; }
    memset(p, 1, k << 20);
    reply("ok");
  } else if (!strcmp(w, "name")) {
    if (prctl(PR_SET_NAME, a, 0, 0, 0)) reply_err(); else reply("ok");
  } else if (!strcmp(w, "argv")) {
    memset(arg_start, 0, arg_len);
    strncpy(arg_start, a, arg_len - 1);
    reply("ok");
  } else if (!strcmp(w, "open")) {
    for (long i = 0; i < k; i++) open("/dev/null", O_RDONLY);
    reply("ok");
  } else if (!strcmp(w, "write")) {
    long mb = atol(strtok(0, " \n"));
    int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600);
    void *buf;
    if (fd < 0 || posix_memalign(&buf, 4096, 1 << 20)) { reply_err(); return; }
    memset(buf, 7, 1 << 20);
    for (long i = 0; i < mb; i++) if (write(fd, buf, 1 << 20) != 1 << 20) { reply_err(); close(fd); return; }
    fsync(fd);
    close(fd);
    free(buf);
    reply("ok");
  } else if (!strcmp(w, "read")) {
    int fd = open(a, O_RDONLY | O_DIRECT);
    void *buf;
    if (fd < 0 || posix_memalign(&buf, 4096, 1 << 20)) { reply_err(); return; }
    long n = 0; ssize_t r;
    while ((r = read(fd, buf, 1 << 20)) > 0) n += r;
    close(fd);
    free(buf);
    if (r < 0) { reply_err(); return; }
    printf("ok %ld\n", n); fflush(stdout);
  } else if (!strcmp(w, "fork")) {
    child = fork();
    if (child == 0) for (;;) pause();
    printf("ok %d\n", child); fflush(stdout);
  } else if (!strcmp(w, "killchild")) {
    kill(child, SIGKILL); /* never reaped: it stays a zombie */
    reply("ok");
  } else if (!strcmp(w, "exec")) {
    char *args[16] = { a }; int n = 1;
    for (char *x; n < 15 && (x = strtok(0, " \n")); ) args[n++] = x;
    reply("ok");
    execvp(a, args);
    reply_err();
  } else if (!strcmp(w, "exit")) {
    exit(0);
  } else reply("err 0");
}

static void *loop(void *x) {
  (void)x;
  char line[4096];
  reply("ready");
  while (fgets(line, sizeof line, stdin)) command(line);
  exit(0);
  return 0;
}

int main(int argc, char **argv) {
  arg_start = argv[0]; arg_len = argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0];
  if (argc >= 5 && !strcmp(argv[1], "mix")) {
    long n = atol(argv[2]); busy_us = atol(argv[3]); period_ms = atol(argv[4]);
    if (n <= 1) for (;;) pause();
    pthread_t first;
    pthread_create(&first, 0, busy_us > 0 ? duty : sleeper, 0);
    for (long i = 2; i < n; i++) start(sleeper);
    pthread_join(first, 0);
    return 0;
  }
  if (argc >= 3 && !strcmp(argv[1], "cmd")) {
    if (!strcmp(argv[2], "mt")) { pthread_t t; pthread_create(&t, 0, loop, 0); pthread_join(t, 0); }
    else loop(0);
    return 0;
  }
  fputs("usage: fixture mix N BUSY_US PERIOD_MS | fixture cmd st|mt\n", stderr);
  return 2;
}
`;

let built: string | null | undefined;

/** Path of the compiled fixture, or null when no C compiler is available (the reason logged once). */
export function cFixture(): string | null {
  if (built !== undefined) return built;
  const dir = mkdtempSync(join(tmpdir(), 'spindle-fixture-'));
  const src = join(dir, 'fixture.c');
  const out = join(dir, 'fixture');
  writeFileSync(src, SOURCE);
  try {
    execFileSync('cc', ['-O1', '-pthread', '-o', out, src], { stdio: 'pipe' });
    built = out;
  } catch (err) {
    console.warn(`no C fixture: cc failed (${(err as Error).message.split('\n')[0]})`);
    built = null;
  }
  return built;
}
