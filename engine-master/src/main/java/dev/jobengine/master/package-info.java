/** The embedded master's entry: the {@link java.util.ServiceLoader} provider. Internal: no compatibility promise. */
@Internal
package dev.jobengine.master;

import dev.jobengine.Internal;
