/**
 * The hub: the engine's gRPC server, its worker-stream and shared-object services (thin adapters),
 * and authentication. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.hub;

import dev.jobengine.Internal;
