package dev.jobengine.spi;

import java.io.Externalizable;

/**
 * An {@link Externalizable} that {@link dev.jobengine.JavaSerializationCodec} may write without a
 * Java serialization stream: its class name, then what {@code writeExternal} writes, where each
 * {@code writeObject} value takes the codec's short form of its own. Decoding calls the public
 * no-argument constructor and {@code readExternal}, as Java serialization does for any
 * Externalizable, after the serialization filter has accepted the class.
 *
 * <p>The difference from a Java serialization stream: objects written by separate {@code
 * writeObject} calls arrive as separate objects even when they were one (no back references).
 * Implement this only where that does not matter, such as for a task that carries a function and
 * a list of plain values.
 */
public interface CompactExternalizable extends Externalizable {}
