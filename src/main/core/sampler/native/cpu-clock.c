/*
 * Spindle's native CPU clock: each process's whole run time (all threads, live and ended) in ns,
 * from the kernel's per-process CPU clock, for a whole list of pids in one call.
 *
 * cpuClocks(pids: Int32Array, out: Float64Array): out[i] = ns of pids[i], or -errno (EINVAL: no such process).
 * The clock id is what clock_getcpuclockid(pid) returns: ((~pid) << 3) | CPUCLOCK_SCHED; any pid
 * can be read without privileges. A double holds ns exactly up to 2^53 (104 days of CPU); past
 * that it rounds to 2^(e-52) ns, still far below any run a scheduler slice makes.
 *
 * schedPrio(pid: number, out: Int32Array): out[0] = nice, out[1] = priority as /proc/<pid>/stat
 * shows them (task_prio: 20 + nice, -1 - rt_priority for FIFO/RR, -101 for DEADLINE); false
 * when the pid is gone. What another process can change without this one running (setpriority,
 * sched_setscheduler), read by three syscalls instead of formatting the whole stat line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <time.h>

#define CPUCLOCK_SCHED 2
#define PROCESS_CPUCLOCK(pid) ((clockid_t)(((~(unsigned)(pid)) << 3) | CPUCLOCK_SCHED))

static napi_value cpu_clocks(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    napi_throw_type_error(env, "EARGS", "cpuClocks(pids: Int32Array, out: Float64Array)");
    return NULL;
  }
  napi_typedarray_type pt, ot;
  size_t pn, on;
  void *pd, *od;
  if (napi_get_typedarray_info(env, argv[0], &pt, &pn, &pd, NULL, NULL) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &ot, &on, &od, NULL, NULL) != napi_ok ||
      pt != napi_int32_array || ot != napi_float64_array || on < pn) {
    napi_throw_type_error(env, "EARGS", "cpuClocks(pids: Int32Array, out: Float64Array >= pids)");
    return NULL;
  }
  const int *pids = pd;
  double *out = od;
  struct timespec ts;
  for (size_t i = 0; i < pn; i++) {
    if (pids[i] <= 0) out[i] = -EINVAL;
    else if (clock_gettime(PROCESS_CPUCLOCK(pids[i]), &ts) == 0)
      out[i] = (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
    else out[i] = -errno;
  }
  return NULL;
}

#define SCHED_DEADLINE_ 6
#define SCHED_RESET_ON_FORK_ 0x40000000

static napi_value sched_prio(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_typedarray_type ot;
  size_t on;
  void *od;
  int32_t pid;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &pid) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &ot, &on, &od, NULL, NULL) != napi_ok ||
      ot != napi_int32_array || on < 2) {
    napi_throw_type_error(env, "EARGS", "schedPrio(pid: number, out: Int32Array >= 2)");
    return NULL;
  }
  int *out = od;
  bool ok = pid > 0;
  int nice = 0, prio = 0;
  if (ok) {
    errno = 0;
    nice = getpriority(PRIO_PROCESS, (id_t)pid);
    ok = !(nice == -1 && errno != 0);
  }
  int policy = ok ? sched_getscheduler(pid) : -1;
  ok = ok && policy >= 0;
  if (ok) {
    policy &= ~SCHED_RESET_ON_FORK_;
    if (policy == SCHED_FIFO || policy == SCHED_RR) {
      struct sched_param sp;
      ok = sched_getparam(pid, &sp) == 0;
      prio = -1 - sp.sched_priority;
    } else if (policy == SCHED_DEADLINE_) {
      prio = -101;
    } else {
      prio = 20 + nice;
    }
  }
  out[0] = nice;
  out[1] = prio;
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "cpuClocks", NAPI_AUTO_LENGTH, cpu_clocks, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "cpuClocks", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "schedPrio", NAPI_AUTO_LENGTH, sched_prio, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "schedPrio", fn) != napi_ok) return NULL;
  return exports;
}
