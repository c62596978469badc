/** Engines connected to a daemon as its clients. Internal: no compatibility promise. */
@Internal
package dev.jobengine.master.internal.client;

import dev.jobengine.Internal;
