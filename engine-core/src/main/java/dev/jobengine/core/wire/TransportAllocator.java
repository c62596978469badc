package dev.jobengine.core.wire;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The buffers of the engine's gRPC connections: a pooled allocator as gRPC's own (2 MiB chunks),
 * except for the 1 MiB buffers gRPC frames every message of a megabyte or more in. A pooled
 * allocator takes those from chunks of their own and frees each chunk once the message is written,
 * so every large message had its size of fresh memory mapped, zeroed twice (by the JDK and the
 * kernel) and unmapped: about 4 ms of a 16 MiB message's 28 ms here, on the sender's thread. Those
 * buffers are kept for reuse instead, at most {@value #SPARE} of them (16 MiB) per JVM, enough for
 * one 16 MiB message in flight; {@link #trim()} gives them back (an idle worker, a closed engine).
 */
public final class TransportAllocator extends AbstractByteBufAllocator {
  /** The size gRPC's framer asks for while a message has a megabyte or more left to write. */
  static final int FRAME_BUFFER = 1 << 20;
  /** Spare frame buffers kept. */
  static final int SPARE = 16;

  /** The one per JVM: the connections of a master, a worker or a client share it. */
  public static final TransportAllocator INSTANCE = new TransportAllocator();

  private final ByteBufAllocator pooled;
  private final ArrayBlockingQueue<CleanableDirectBuffer> spare = new ArrayBlockingQueue<>(SPARE);

  private TransportAllocator() {
    this(PooledByteBufAllocator.defaultPreferDirect());
  }

  TransportAllocator(boolean preferDirect) {
    super(preferDirect);
    // as gRPC's own allocator (io.grpc.netty.Utils): 8 KiB pages, order 8, so 2 MiB chunks
    this.pooled = new PooledByteBufAllocator(preferDirect, PooledByteBufAllocator.defaultNumHeapArena(),
        PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(), 8,
        PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
        PooledByteBufAllocator.defaultUseCacheForAllThreads());
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return pooled.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    if (initialCapacity == FRAME_BUFFER && maxCapacity == FRAME_BUFFER) {
      CleanableDirectBuffer memory = take();
      return toLeakAwareBuffer(new FrameBuffer(this, memory)); // filled and written in bulk: no need of Unsafe's address
    }
    return pooled.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return true;
  }

  /** Frees the spare frame buffers (an idle worker gives its memory back). */
  public void trim() {
    CleanableDirectBuffer b;
    while ((b = spare.poll()) != null) {
      b.clean();
    }
  }

  /** Spare frame buffers held now. */
  int spareCount() {
    return spare.size();
  }

  private CleanableDirectBuffer take() {
    CleanableDirectBuffer b = spare.poll();
    return b != null ? b : PlatformDependent.allocateDirect(FRAME_BUFFER);
  }

  /** Keeps a released frame buffer's memory for the next one, or frees it when enough are kept. */
  private void giveBack(CleanableDirectBuffer memory) {
    if (memory != null && !spare.offer(memory)) {
      memory.clean();
    }
  }

  /**
   * A frame buffer over memory of the spares. It is built over memory it is handed, which Netty
   * itself never frees; it gives that memory back once: when it is released, or when it moves to
   * memory of Netty's own (a capacity change copies it there, and Netty frees that).
   */
  private static final class FrameBuffer extends UnpooledDirectByteBuf {
    private CleanableDirectBuffer memory;

    FrameBuffer(TransportAllocator alloc, CleanableDirectBuffer memory) {
      super(alloc, memory.buffer().clear(), FRAME_BUFFER);
      this.memory = memory;
      clear(); // wrapped memory counts as written
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
      boolean moves = newCapacity != capacity();
      super.capacity(newCapacity);
      if (moves) {
        giveBack();
      }
      return this;
    }

    @Override
    protected void deallocate() {
      super.deallocate();
      giveBack();
    }

    private void giveBack() {
      CleanableDirectBuffer m = memory;
      memory = null;
      ((TransportAllocator) alloc()).giveBack(m);
    }
  }
}
