/**
 * What the master and the workers share: the worker-argument contract, the engine a worker belongs
 * to, named threads. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.core;

import dev.jobengine.Internal;
