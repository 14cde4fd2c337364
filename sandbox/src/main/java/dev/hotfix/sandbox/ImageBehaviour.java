package dev.hotfix.sandbox;

import java.util.Locale;

/**
 * How a simulated container behaves, chosen by its image tag. The sandbox's kubelet and its
 * simulated app both read it, so a tag means the same thing to pod status and to metrics.
 *
 * <p>The tag is the part after the last ':' that follows the last '/', without any digest;
 * an image without a tag behaves {@link #HEALTHY}.
 */
public enum ImageBehaviour {
  /** Starts, exits, restarts again and again: CrashLoopBackOff with a growing restartCount. */
  CRASHLOOP("crashloop"),
  /** As an init container: starts, exits with an error, again and again; the pod never initializes. */
  INITCRASH("initcrash"),
  /** Runs, is killed for exceeding its memory limit (OOMKilled, exit 137), restarts, again and again. */
  OOM("oom"),
  /** The first pull fails (ErrImagePull, then ImagePullBackOff); the retry succeeds and the pod gets ready. */
  PULLONCE("pullonce"),
  /** The scheduler finds no node with room for it: the pod stays Pending, PodScheduled False, Unschedulable. */
  UNSCHEDULABLE("unschedulable"),
  /** Runs but never becomes ready. */
  UNREADY("unready"),
  /** Never starts: ErrImagePull, then ImagePullBackOff. */
  PULLERR("pullerr"),
  /** Ready, but the simulated app answers about half its requests with HTTP 5xx. */
  ERRORS("errors"),
  /**
   * Ready and healthy, but ignores SIGTERM when its pod is deleted: it runs until the grace period
   * ends and is killed (exit 137). Checked before {@link #SLOW}, whose marker it contains.
   */
  SLOWSTOP("slowstop"),
  /**
   * A run-to-completion container (a smoke test): runs for the crash-loop run time and exits 0,
   * logging that its checks passed. In a Job's pod (restartPolicy Never or OnFailure) it stays
   * terminated and the pod Succeeds; under restartPolicy Always the kubelet restarts it as any
   * exited container (CrashLoopBackOff).
   */
  SMOKE_PASS("smoke-pass"),
  /** As {@link #SMOKE_PASS}, but exits 1, logging a failed check: the Job's pod fails. */
  SMOKE_FAIL("smoke-fail"),
  /** Ready, but the simulated app's latency is about ten times higher. */
  SLOW("slow"),
  /** Ready after the start delay; serves requests normally. */
  HEALTHY("");

  private final String marker;

  /** The exit code of a run-to-completion behaviour, empty for a container that runs until stopped. */
  public java.util.OptionalInt exitCode() {
    return switch (this) {
      case SMOKE_PASS -> java.util.OptionalInt.of(0);
      case SMOKE_FAIL -> java.util.OptionalInt.of(1);
      default -> java.util.OptionalInt.empty();
    };
  }

  ImageBehaviour(String marker) {
    this.marker = marker;
  }

  /** The behaviour of an image reference such as {@code registry:5000/team/app:1.2-crashloop}. */
  public static ImageBehaviour of(String image) {
    String tag = tagOf(image).toLowerCase(Locale.ROOT);
    for (ImageBehaviour b : values()) {
      if (b != HEALTHY && tag.contains(b.marker)) {
        return b;
      }
    }
    return HEALTHY;
  }

  /** The tag of an image reference, or "" when it has none. */
  public static String tagOf(String image) {
    if (image == null) {
      return "";
    }
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    return colon > slash ? ref.substring(colon + 1) : "";
  }
}
