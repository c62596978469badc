package dev.jobengine.internal.objects;

/** The kinds of shared object, with their wire names. */
public enum ObjectKind {
  QUEUE("queue"),
  JOINABLE_QUEUE("joinable_queue"),
  LOCK("lock"),
  RLOCK("rlock"),
  SEMAPHORE("semaphore"),
  BOUNDED_SEMAPHORE("bounded_semaphore"),
  EVENT("event"),
  BARRIER("barrier"),
  MAP("map"),
  LIST("list");

  private final String wireName;

  ObjectKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static ObjectKind fromWire(String name) {
    for (ObjectKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown shared object kind " + name);
  }
}
