import { PROC_FIELD_NAMES } from '../contract/proc-fields';

/** Process table columns in CSV order: every ProcRow field, as the contract lists them. */
export const PROC_COLUMNS = PROC_FIELD_NAMES;
