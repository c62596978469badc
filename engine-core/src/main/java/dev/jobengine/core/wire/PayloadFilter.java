package dev.jobengine.core.wire;

import java.io.ObjectInputFilter;

/**
 * The filter one payload is decoded through: no array, string or collection may be longer than
 * the payload has bytes (each element takes at least one byte on the wire), the object graph may
 * nest at most {@value #MAX_DEPTH} deep and hold no more references than the payload has bytes,
 * and, when an allow-list is set, every class must be on it or among {@link #ENGINE_CLASSES}. It
 * remembers why it refused, so that the error can say so rather than "filter status: REJECTED".
 */
final class PayloadFilter implements ObjectInputFilter {
  static final long MAX_DEPTH = 1000;

  /** What the engine itself decodes, allowed whatever the application's allow-list says. */
  static final String ENGINE_CLASSES = String.join(";",
      "dev.jobengine.*", "dev.jobengine.core.**",
      "java.lang.*", "java.lang.invoke.SerializedLambda",
      "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
      "java.time.**", "java.math.*", "java.io.*", "java.net.URI",
      "!*");

  private static final ObjectInputFilter ENGINE = ObjectInputFilter.Config.createFilter(ENGINE_CLASSES);

  private final long bytes;
  private final ObjectInputFilter allowed;
  private volatile String refusal;

  /** {@code allowed}: the application's allow-list, null for any class. */
  PayloadFilter(long bytes, ObjectInputFilter allowed) {
    this.bytes = bytes;
    this.allowed = allowed;
  }

  /** Why a class or bound was refused; null if nothing was. */
  String refusal() {
    return refusal;
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.arrayLength() > bytes) {
      return refuse("an array, string or collection of " + info.arrayLength()
          + " elements in a payload of " + bytes + " bytes");
    }
    if (info.depth() > MAX_DEPTH) {
      return refuse("objects nested more than " + MAX_DEPTH + " deep");
    }
    if (info.references() > bytes) {
      return refuse("more than " + bytes + " references in a payload of " + bytes + " bytes");
    }
    Class<?> type = info.serialClass();
    if (type == null || allowed == null) {
      return Status.UNDECIDED;
    }
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return Status.UNDECIDED;
    }
    Status status = allowed.checkInput(info);
    if (status == Status.UNDECIDED) {
      status = ENGINE.checkInput(info);
    }
    if (status == Status.REJECTED) {
      return refuse("class " + element.getName() + " is not in EngineOptions.allowedClasses");
    }
    return status;
  }

  private Status refuse(String why) {
    if (refusal == null) {
      refusal = why;
    }
    return Status.REJECTED;
  }
}
