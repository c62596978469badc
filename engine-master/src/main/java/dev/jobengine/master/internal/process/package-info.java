/** Processes: one job in a worker JVM of its own. Internal: no compatibility promise. */
@Internal
package dev.jobengine.master.internal.process;

import dev.jobengine.Internal;
