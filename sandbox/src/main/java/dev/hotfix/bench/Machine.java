package dev.hotfix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The machine the figures were taken on: cores, memory, JVM, load at the start. */
final class Machine {
  private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+)\\s+kB");

  private Machine() {
  }

  static String describe() {
    String memory;
    try {
      Matcher m = MEM_TOTAL.matcher(Files.readString(Path.of("/proc/meminfo")));
      memory = m.find() ? Long.parseLong(m.group(1)) / 1024 + " MiB" : "unknown";
    } catch (IOException e) {
      memory = "unknown";
    }
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return Runtime.getRuntime().availableProcessors() + " cores, " + memory + " memory, Java "
        + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + "), load "
        + String.format(java.util.Locale.ROOT, "%.2f", load) + " at start";
  }
}
