/** What the engine runs and holds now, for {@code jobengine status}. Internal: no compatibility promise. */
@Internal
package dev.jobengine.master.internal.status;

import dev.jobengine.Internal;
