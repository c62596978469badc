/**
 * The tasks the master sends on the user's behalf: map chunks and process jobs. Internal: no
 * compatibility promise.
 */
@Internal
package dev.jobengine.core.tasks;

import dev.jobengine.Internal;
