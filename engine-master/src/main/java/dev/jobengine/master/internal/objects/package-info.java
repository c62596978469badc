/**
 * The master's shared objects: the registry (by name and id), the dispatcher with one operation
 * table per kind, and the master's own access to them. The objects' semantics are in {@code
 * state}. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.objects;

import dev.jobengine.Internal;
