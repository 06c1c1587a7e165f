/** The one `until` for tests (it lives in src/shared so renderer tests use it too). */
export { until, UntilTimeoutError, type UntilOptions } from '../shared/until';
