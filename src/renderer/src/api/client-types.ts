/** What every view and store talks through, in a module without the DOM (tests import it under Node). */
import type { SpindleApi } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'token-refused';

export interface Client {
  api: SpindleApi;
  transport: 'electron' | 'web';
  state(): ConnectionState;
  onState(l: (s: ConnectionState) => void): () => void;
  onReconnect(l: () => void): () => void;
  /** Web mode: a single-use link that downloads a snapshot in this format. */
  snapshotLink?(format: string): Promise<Result<string>>;
}
