package dev.jobengine.master.internal.pool;

/**
 * One pool as a status report shows it.
 *
 * @param size workers asked for
 * @param workers workers it has now, connected or not
 * @param queued tasks waiting in the master for a worker
 * @param running tasks sent to a worker and not finished
 * @param done tasks finished by a worker
 */
public record PoolStats(String name, int size, int workers, String state, int queued, int running, long done) {}
