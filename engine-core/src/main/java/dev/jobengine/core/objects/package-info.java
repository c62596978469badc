/**
 * Handles of master-hosted shared objects, one implementation for the master and the workers: a
 * handle turns each call into an {@link dev.jobengine.core.objects.ObjectAccess} invocation, which
 * the master serves directly and a worker sends over gRPC. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.core.objects;

import dev.jobengine.Internal;
