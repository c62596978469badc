/**
 * The embedded master, wired from its parts by role: {@code pool}, {@code process}, {@code
 * supervisor} (worker JVMs), {@code hub} (gRPC services, auth) and {@code objects} (shared
 * objects). Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal;

import dev.jobengine.Internal;
