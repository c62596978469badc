/**
 * What each shared object means, as plain Java with no gRPC or protobuf: FIFO waiters, ownership
 * per session, give-back on cancel and on a session's end. Internal: no compatibility promise.
 */
@Internal
package dev.jobengine.master.internal.objects.state;

import dev.jobengine.Internal;
