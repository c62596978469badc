/** The worker runtime: the session with the master, the task loop, warm-up. Internal: no compatibility promise. */
@Internal
package dev.jobengine.worker.internal;

import dev.jobengine.Internal;
