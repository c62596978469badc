package dev.jobengine.worker.internal;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.ClassesGrpc;
import dev.jobengine.proto.ResourceReply;
import dev.jobengine.proto.ResourceRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease's class loader: its jars, and, when the lease's master serves classes that are in no
 * file (a single-file program's, a framework's own loader's), those it finds in none of them,
 * asked for by name from the master's {@code Classes} service, once each. Parent first, as any
 * class loader: the engine's own classes are the worker's.
 */
final class LeaseLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final Logger log = LoggerFactory.getLogger(LeaseLoader.class);
  private static final long ASK_SECONDS = 30;
  private static final int MAX_MISSES = 100_000;

  private final String lease;
  private final Channel served; // null: this lease's classes are all in its jars
  private final Set<String> missing = ConcurrentHashMap.newKeySet();
  private final Map<String, byte[]> resources = new ConcurrentHashMap<>();
  private final ProtectionDomain domain;
  private final URLStreamHandler handler = new Handler();

  LeaseLoader(String lease, URL[] urls, ClassLoader parent, Channel served) {
    super("jobengine-lease " + lease, urls, parent);
    this.lease = lease;
    this.served = served;
    this.domain = new ProtectionDomain(new CodeSource(null, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    try {
      return super.findClass(name);
    } catch (ClassNotFoundException notInJars) {
      if (served == null) {
        throw notInJars;
      }
      byte[] bytes = ask(name.replace('.', '/') + ".class");
      if (bytes == null) {
        throw notInJars;
      }
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        String pkg = name.substring(0, dot);
        if (getDefinedPackage(pkg) == null) {
          try {
            definePackage(pkg, null, null, null, null, null, null, null);
          } catch (IllegalArgumentException raced) {
            // defined meanwhile
          }
        }
      }
      return defineClass(name, bytes, 0, bytes.length, domain);
    }
  }

  @Override
  public URL findResource(String name) {
    URL url = super.findResource(name);
    if (url != null || served == null) {
      return url;
    }
    byte[] bytes = resources.get(name);
    if (bytes == null) {
      bytes = ask(name);
      if (bytes == null) {
        return null;
      }
      resources.put(name, bytes);
    }
    try {
      return new URL("jobengine-lease", null, -1, "/" + name, handler);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  public Enumeration<URL> findResources(String name) throws IOException {
    Enumeration<URL> inJars = super.findResources(name);
    if (served == null) {
      return inJars;
    }
    List<URL> all = new ArrayList<>(Collections.list(inJars));
    if (all.isEmpty()) {
      URL one = findResource(name);
      if (one != null) {
        all.add(one);
      }
    }
    return Collections.enumeration(all);
  }

  /** The bytes of {@code resource} from the master, or null if it has none. */
  private byte[] ask(String resource) {
    if (missing.contains(resource)) {
      return null;
    }
    if (Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread) {
      log.debug("not asking for {} on an I/O thread", resource);
      return null; // the answer would come on this very thread
    }
    try {
      ResourceReply reply = ClassesGrpc.newBlockingStub(served).withDeadlineAfter(ASK_SECONDS, TimeUnit.SECONDS)
          .resource(ResourceRequest.newBuilder().setLease(lease).setName(resource).build());
      if (reply.getFound()) {
        ByteString data = reply.getData();
        return data.toByteArray();
      }
    } catch (StatusRuntimeException e) {
      log.debug("asking the master for {}: {}", resource, e.getStatus());
    }
    if (missing.size() < MAX_MISSES) {
      missing.add(resource);
    }
    return null;
  }

  /** Opens the resources this loader was sent. */
  private final class Handler extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL u) throws IOException {
      String name = u.getPath().substring(1);
      byte[] bytes = resources.get(name);
      if (bytes == null) {
        throw new IOException("no resource " + name + " in " + getName());
      }
      return new URLConnection(u) {
        @Override
        public void connect() {}

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
          return bytes.length;
        }
      };
    }
  }
}
