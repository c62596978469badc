/**
 * A daemon's store of its clients' code: jars by content hash, uploaded once by clients and
 * fetched by workers that have not cached them. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.code;

import dev.jobengine.Internal;
