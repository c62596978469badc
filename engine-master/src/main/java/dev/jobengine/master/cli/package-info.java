/** The {@code jobengine} command line. Internal: no compatibility promise. */
@Internal
package dev.jobengine.master.cli;

import dev.jobengine.Internal;
