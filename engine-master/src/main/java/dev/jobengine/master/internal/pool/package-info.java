/**
 * Pools: the facade, the scheduler that decides which worker runs which task, the pool's workers
 * (feeding, stealing, replacing), results and callbacks. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.pool;

import dev.jobengine.Internal;
