/** `grpc.health.v1.HealthCheckResponse.ServingStatus`, by name (protos load with enums as strings). */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** Follows one service's status: `onStatus` on each change, `onClose` once when the server shuts down. */
export interface HealthWatcher {
  readonly onStatus: (status: ServingStatus) => void;
  readonly onClose: () => void;
}

/**
 * The serving status of each service of a server, by fully qualified name; `''` is the server as a whole.
 * Unknown services read as undefined (Check answers NOT_FOUND, Watch SERVICE_UNKNOWN).
 */
export class HealthStatus {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<HealthWatcher>>();
  private shuttingDown = false;

  /** The service's status, or undefined when it was never set. */
  get(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /** Sets a status and tells its watchers. Ignored once {@link shutdown} has begun: a stopping server stays down. */
  set(service: string, status: ServingStatus): void {
    if (this.shuttingDown || this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    for (const watcher of this.watchers.get(service) ?? []) watcher.onStatus(status);
  }

  /** Follows a service; returns the function that stops following it. */
  watch(service: string, watcher: HealthWatcher): () => void {
    let set = this.watchers.get(service);
    if (set === undefined) {
      set = new Set();
      this.watchers.set(service, set);
    }
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0) this.watchers.delete(service);
    };
  }

  /** Whether {@link shutdown} has begun. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Marks every known service NOT_SERVING, tells the watchers, then closes them: an open Watch stream would otherwise
   * keep a graceful shutdown waiting until its grace period ends.
   */
  shutdown(): void {
    for (const service of this.statuses.keys()) this.set(service, 'NOT_SERVING');
    this.shuttingDown = true;
    const watchers = [...this.watchers.values()].flatMap((set) => [...set]);
    this.watchers.clear();
    for (const watcher of watchers) watcher.onClose();
  }
}
