/**
 * Code that travels: a client's class path as jars named by their content ({@link
 * dev.jobengine.proto.Artifact}), as the client sends them, the daemon stores them and workers
 * cache them. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.core.code;

import dev.jobengine.Internal;
