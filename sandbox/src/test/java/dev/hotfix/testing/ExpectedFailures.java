package dev.hotfix.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The manifests of {@code examples/expected-failures/}, each naming the exact error it must
 * produce on {@code # expect: } lines: either refused at admission (the CRD schema, CEL rules,
 * unknown fields), or, when the line reads {@code # expect: Rejected: <message>}, admitted and
 * then ended {@code Rejected} by the operator with that message, the Deployment untouched.
 */
public final class ExpectedFailures {
  public static final Path DIRECTORY = Path.of("examples/expected-failures");
  private static final String EXPECT = "# expect: ";
  private static final String REJECTED = "Rejected: ";

  private ExpectedFailures() {
  }

  /** Manifests the API server must refuse. */
  public static Stream<Path> refusedAtAdmission() {
    return all().filter(p -> !isRejectedByOperator(p));
  }

  /** Manifests the API server admits and the operator must reject. */
  public static Stream<Path> rejectedByOperator() {
    return all().filter(ExpectedFailures::isRejectedByOperator);
  }

  /** The texts after {@code # expect: } (and after {@code Rejected: } for the operator's). */
  public static List<String> expectations(Path manifest) {
    return lines(manifest).stream().filter(l -> l.startsWith(EXPECT)).map(l -> l.substring(EXPECT.length()))
        .map(e -> e.startsWith(REJECTED) ? e.substring(REJECTED.length()) : e).toList();
  }

  private static boolean isRejectedByOperator(Path manifest) {
    return lines(manifest).stream().anyMatch(l -> l.startsWith(EXPECT + REJECTED));
  }

  private static Stream<Path> all() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path manifest) {
    try {
      return Files.readAllLines(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
