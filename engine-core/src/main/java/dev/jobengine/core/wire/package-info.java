/**
 * Translation between engine-api values and the wire, used by both the master and the workers:
 * payloads, task failures, shared-object errors, auth, transports. Internal: no compatibility
 * promise.
 */
@Internal
package dev.jobengine.core.wire;

import dev.jobengine.Internal;
