package dev.byok.crypto.fakes.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake CRaC implementation for tests, in the shape {@code org.crac} looks for when the system
 * property {@code org.crac.Core.Compat} names this package (byok-crypto's Surefire configuration
 * does). {@code org.crac.Core.getGlobalContext().register(r)} lands in {@link #getGlobalContext()},
 * which holds resources weakly as the JDK's does; {@code org.crac.Core.checkpointRestore()} runs
 * every live resource's {@code beforeCheckpoint} (last registered first) and then every
 * {@code afterRestore} (first registered first), as a CRaC JDK does around a real checkpoint.
 * Nothing is frozen or copied: the test sees the hooks' effects in the one process.
 */
public final class Core {
  private static final GlobalContext GLOBAL = new GlobalContext();

  private Core() {}

  public static Context<Resource> getGlobalContext() {
    return GLOBAL;
  }

  public static void checkpointRestore() throws CheckpointException, RestoreException {
    GLOBAL.beforeCheckpoint(GLOBAL);
    GLOBAL.afterRestore(GLOBAL);
  }

  /** How many registered resources are still alive. */
  public static int registered() {
    return GLOBAL.live().size();
  }

  private static final class GlobalContext extends Context<Resource> {
    private final List<WeakReference<Resource>> resources = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
      resources.add(new WeakReference<>(resource));
    }

    synchronized List<Resource> live() {
      List<Resource> out = new ArrayList<>();
      resources.removeIf(w -> w.get() == null);
      for (WeakReference<Resource> w : resources) {
        Resource r = w.get();
        if (r != null) {
          out.add(r);
        }
      }
      return out;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
      List<Resource> live = live();
      for (int i = live.size() - 1; i >= 0; i--) {
        try {
          live.get(i).beforeCheckpoint(this);
        } catch (Exception e) {
          throw new CheckpointException(e);
        }
      }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
      for (Resource r : live()) {
        try {
          r.afterRestore(this);
        } catch (Exception e) {
          throw new RestoreException(e);
        }
      }
    }
  }
}
