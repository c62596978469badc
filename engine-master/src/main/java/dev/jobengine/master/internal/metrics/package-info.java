/**
 * The engine's own counts (tasks, workers, lock waits), kept whether or not anything reads them,
 * for the Micrometer binder in {@code dev.jobengine.micrometer} to expose. Nothing here refers to
 * Micrometer. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.metrics;

import dev.jobengine.Internal;
