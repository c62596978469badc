/**
 * The lives of worker JVMs: launching (with a class-data archive), start-up watchdog, identity
 * check, clean-up when one is gone, start-failure policy, standby workers. Internal: no
 * compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.supervisor;

import dev.jobengine.Internal;
