package dev.hotfix.sandbox.cluster;

import dev.hotfix.sandbox.ImageBehaviour;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The life of one simulated container as a function of time: given when its pod was bound, its
 * image's {@link ImageBehaviour} and the cluster's timing, what the kubelet reports at any
 * instant and when that report next changes. Being a pure function of the clock, the same
 * instant always yields the same status (so nothing is rewritten needlessly), and the kubelet
 * keeps no per-container state.
 *
 * @param name the container's name
 * @param image the container's image
 * @param podId the pod's namespace/name and uid, used in messages and fake IDs
 * @param boundAt when the pod was bound to the node: the origin of the timeline
 * @param timing the cluster's pace
 * @param crashingSince when an injected fault made the container crash from then on
 *     ({@link InjectedCrash}), null when none did
 */
record ContainerTimeline(String name, String image, String podId, Instant boundAt, ClusterTiming timing,
    Instant crashingSince) {

  /** Behaviours whose container runs from the start delay on: the ones an injected crash can stop. */
  private static final Set<ImageBehaviour> RUNNING =
      EnumSet.of(ImageBehaviour.HEALTHY, ImageBehaviour.ERRORS, ImageBehaviour.SLOW, ImageBehaviour.UNREADY);

  /** A container that behaves as its image tag says, nothing injected. */
  ContainerTimeline(String name, String image, String podId, Instant boundAt, ClusterTiming timing) {
    this(name, image, podId, boundAt, timing, null);
  }

  /**
   * What the kubelet reports about the container at one instant.
   *
   * @param unreadySince when a container that was ready stopped being so (an injected crash), else null
   */
  record Snapshot(ContainerStatus status, boolean everStarted, Instant readySince, Instant nextChange,
      Instant unreadySince) {
    Snapshot(ContainerStatus status, boolean everStarted, Instant readySince, Instant nextChange) {
      this(status, everStarted, readySince, nextChange, null);
    }
  }

  /** The container's status at {@code now} in a pod that restarts its containers always (a Deployment's). */
  Snapshot at(Instant now) {
    return at(now, "Always");
  }

  /**
   * The container's status at {@code now}, and when it will next change (null: never).
   *
   * @param restartPolicy the pod's: whether an exited container is started again (Always; OnFailure
   *     after a non-zero exit) or stays terminated (Never; OnFailure after exit 0)
   */
  Snapshot at(Instant now, String restartPolicy) {
    ImageBehaviour behaviour = ImageBehaviour.of(image);
    Instant runAt = boundAt.plus(timing.podStartDelay());
    if (crashingSince != null && RUNNING.contains(behaviour)) {
      return injectedCrash(now, runAt, behaviour);
    }
    if (behaviour.exitCode().isPresent()) {
      return runToCompletion(now, runAt, behaviour.exitCode().getAsInt(), restartPolicy);
    }
    return asTagged(now, runAt, behaviour);
  }

  /**
   * A container that exits by itself after crashLoopRunTime: terminated for good when the pod's
   * restartPolicy says not to restart it (Never; OnFailure and exit 0), else restarted like a
   * crashing container, as the kubelet does for an exit of any code under Always.
   */
  private Snapshot runToCompletion(Instant now, Instant runAt, int exitCode, String restartPolicy) {
    String reason = exitCode == 0 ? "Completed" : "Error";
    Instant exit = runAt.plus(timing.crashLoopRunTime());
    boolean restarts = "Always".equals(restartPolicy) || restartPolicy == null
        || ("OnFailure".equals(restartPolicy) && exitCode != 0);
    if (restarts) {
      return crashLoop(now, runAt, exit, reason, exitCode);
    }
    if (now.isBefore(runAt)) {
      return creating(runAt);
    }
    if (now.isBefore(exit)) {
      return new Snapshot(running(runAt, 0, true, null), true, runAt, exit);
    }
    return new Snapshot(status(terminated(runAt, exit, 0, reason, exitCode), null, 0, false, true, true), true, null,
        null, exit);
  }

  private Snapshot asTagged(Instant now, Instant runAt, ImageBehaviour behaviour) {
    return switch (behaviour) {
      case CRASHLOOP, INITCRASH -> crashLoop(now, runAt, runAt.plus(timing.crashLoopRunTime()), "Error", 1);
      case OOM -> crashLoop(now, runAt, runAt.plus(timing.crashLoopRunTime()), "OOMKilled", 137);
      case PULLERR -> pullFailure(now);
      case PULLONCE -> pullFailsOnce(now);
      case UNREADY -> now.isBefore(runAt)
          ? creating(runAt)
          : new Snapshot(running(runAt, 0, false, null), true, null, null);
      default -> now.isBefore(runAt)
          ? creating(runAt)
          : new Snapshot(running(runAt, 0, true, null), true, runAt, null);
    };
  }

  /**
   * An injected crash ({@link InjectedCrash}): a container that started before the fault runs as
   * its tag says until then, exits with an error at that instant and crash-loops from there; one
   * started after it crash-loops from its first run, as a {@code crashloop} image does.
   */
  private Snapshot injectedCrash(Instant now, Instant runAt, ImageBehaviour behaviour) {
    if (!runAt.isBefore(crashingSince)) {
      return crashLoop(now, runAt, runAt.plus(timing.crashLoopRunTime()), "Error", 1);
    }
    if (now.isBefore(crashingSince)) {
      Snapshot before = asTagged(now, runAt, behaviour);
      return new Snapshot(before.status(), before.everStarted(), before.readySince(), crashingSince);
    }
    Snapshot crashing = crashLoop(now, runAt, crashingSince, "Error", 1);
    return behaviour == ImageBehaviour.UNREADY ? crashing : new Snapshot(crashing.status(), crashing.everStarted(),
        crashing.readySince(), crashing.nextChange(), crashingSince);
  }

  /**
   * Runs from {@code firstRun} until {@code firstExit}, then for crashLoopRunTime each time, and
   * exits ({@code reason}, {@code exitCode}: Error 1, or OOMKilled 137), as upstream's kubelet
   * handles it: the exited container shows {@code terminated} until the kubelet notices, the
   * first restart is immediate, each later one waits in {@code CrashLoopBackOff} a back-off
   * measured from the exit (base, doubling to the cap); restartCount counts restarts done,
   * lastState the last exit.
   */
  private Snapshot crashLoop(Instant now, Instant firstRun, Instant firstExit, String reason, int exitCode) {
    if (now.isBefore(firstRun)) {
      return creating(firstRun);
    }
    Instant start = firstRun;
    int restarts = 0;
    ContainerState previousExit = null;
    while (true) {
      Instant exit = restarts == 0 ? firstExit : start.plus(timing.crashLoopRunTime());
      if (now.isBefore(exit)) {
        return new Snapshot(running(start, restarts, false, previousExit), true, null, exit);
      }
      ContainerState exited = terminated(start, exit, restarts, reason, exitCode);
      Instant noticed = exit.plus(timing.exitNoticedAfter());
      if (now.isBefore(noticed)) {
        return new Snapshot(status(exited, previousExit, restarts, false, false, true), true, null, noticed);
      }
      previousExit = exited;
      Duration backOff = restarts == 0 ? Duration.ZERO : timing.backOffAfter(restarts);
      Instant restart = exit.plus(backOff).isAfter(noticed) ? exit.plus(backOff) : noticed;
      if (now.isBefore(restart)) {
        ContainerState waiting =
            waiting(
                "CrashLoopBackOff",
                "back-off " + seconds(backOff) + " restarting failed container=" + name + " pod=" + podId);
        return new Snapshot(status(waiting, previousExit, restarts, false, false, true), true, null, restart);
      }
      restarts++;
      start = restart;
    }
  }

  private ContainerState terminated(Instant started, Instant finished, int attempt, String reason, int exitCode) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withStartedAt(Timestamps.format(started))
        .withFinishedAt(Timestamps.format(finished))
        .withContainerID(containerId(attempt))
        .endTerminated()
        .build();
  }

  /**
   * The pull fails after imagePullFailureDelay (ErrImagePull, shown for as long again), then the
   * kubelet backs off (ImagePullBackOff) before the next attempt; the container never starts.
   */
  private Snapshot pullFailure(Instant now) {
    Duration pull = timing.imagePullFailureDelay();
    Instant failed = boundAt.plus(pull);
    if (now.isBefore(failed)) {
      return creating(failed);
    }
    for (int attempt = 1; ; attempt++) {
      Instant backingOff = failed.plus(pull);
      if (now.isBefore(backingOff)) {
        ContainerState err =
            waiting(
                "ErrImagePull",
                "failed to pull and unpack image \"" + image + "\": failed to resolve reference \""
                    + image + "\": not found");
        return new Snapshot(status(err, null, 0, false, false, false), false, null, backingOff);
      }
      Instant retry = backingOff.plus(timing.backOffAfter(attempt));
      if (now.isBefore(retry)) {
        ContainerState backOff = waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
        return new Snapshot(status(backOff, null, 0, false, false, false), false, null, retry);
      }
      failed = retry;
    }
  }

  /**
   * The first pull fails after imagePullFailureDelay (ErrImagePull, shown for as long again), the
   * kubelet backs off once (ImagePullBackOff), and the retry pulls the image: the container then
   * starts after the usual start delay and gets ready, as after a registry hiccup.
   */
  private Snapshot pullFailsOnce(Instant now) {
    Duration pull = timing.imagePullFailureDelay();
    Instant failed = boundAt.plus(pull);
    Instant backingOff = failed.plus(pull);
    Instant retry = backingOff.plus(timing.backOffAfter(1));
    Instant runAt = retry.plus(timing.podStartDelay());
    if (now.isBefore(failed) || !now.isBefore(retry)) {
      return now.isBefore(runAt)
          ? creating(now.isBefore(failed) ? failed : runAt)
          : new Snapshot(running(runAt, 0, true, null), true, runAt, null);
    }
    ContainerState state = now.isBefore(backingOff)
        ? waiting("ErrImagePull", "failed to pull and unpack image \"" + image + "\": failed to do request: "
            + "503 Service Unavailable")
        : waiting("ImagePullBackOff", "Back-off pulling image \"" + image + "\"");
    return new Snapshot(status(state, null, 0, false, false, false), false, null,
        now.isBefore(backingOff) ? backingOff : retry);
  }

  private Snapshot creating(Instant until) {
    return new Snapshot(
        status(waiting("ContainerCreating", null), null, 0, false, false, false), false, null, until);
  }

  private ContainerStatus running(Instant since, int restarts, boolean ready, ContainerState lastState) {
    ContainerState state =
        new ContainerStateBuilder().withNewRunning().withStartedAt(Timestamps.format(since)).endRunning().build();
    return status(state, lastState, restarts, ready, true, true);
  }

  private ContainerStatus status(
      ContainerState state, ContainerState lastState, int restarts, boolean ready, boolean started, boolean pulled) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withImage(image)
        .withImageID(pulled ? imageId() : "")
        .withContainerID(started ? containerId(restarts) : null)
        .withReady(ready)
        .withStarted(started)
        .withRestartCount(restarts)
        .withState(state)
        .withLastState(lastState == null ? new ContainerState() : lastState)
        .build();
  }

  private static ContainerState waiting(String reason, String message) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
  }

  private String imageId() {
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = repository.lastIndexOf(':');
    if (colon > repository.lastIndexOf('/')) {
      repository = repository.substring(0, colon);
    }
    return repository + "@sha256:" + sha256(image);
  }

  private String containerId(int attempt) {
    return "containerd://" + sha256(podId + "/" + name + "/" + attempt);
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : (millis / 1000.0) + "s";
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
