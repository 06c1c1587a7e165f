/*
 * Spindle's native CPU clock: each process's whole run time (all threads, live and ended) in ns,
 * from the kernel's per-process CPU clock, for a whole list of pids in one call.
 *
 * cpuClocks(pids: Int32Array, out: Float64Array): out[i] = ns of pids[i], or -errno (ESRCH: gone).
 * The clock id is what clock_getcpuclockid(pid) returns: ((~pid) << 3) | CPUCLOCK_SCHED; any pid
 * can be read without privileges. A double holds ns exactly up to 2^53 (104 days of CPU); past
 * that it rounds to 2^(e-52) ns, still far below any run a scheduler slice makes.
 */
#include <errno.h>
#include <node_api.h>
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

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "cpuClocks", NAPI_AUTO_LENGTH, cpu_clocks, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "cpuClocks", fn) != napi_ok) return NULL;
  return exports;
}
