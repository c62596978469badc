/**
 * The worker JVM's entry point, which the master (or {@code jobengine worker}) starts. Internal:
 * no compatibility promise.
 */
@Internal
package dev.jobengine.worker;

import dev.jobengine.Internal;
