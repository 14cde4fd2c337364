package dev.hotfix.sandbox.api;

import dev.hotfix.json.KubernetesJson;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The CRDs the build generated (fabric8's crd-generator writes {@code META-INF/fabric8/<name>-v1.yml}),
 * found on the classpath whether it is a directory (tests, IDE) or a jar (the shaded executable).
 */
final class ClasspathCrds {
  private static final String FOLDER = "META-INF/fabric8/";
  private static final String SUFFIX = "-v1.yml";

  private ClasspathCrds() {
  }

  /** Every generated v1 CRD, sorted by resource name. */
  static List<CustomResourceDefinition> load() {
    List<String> resources = new ArrayList<>();
    try {
      for (URL folder : Collections.list(ClasspathCrds.class.getClassLoader().getResources(FOLDER))) {
        resources.addAll(list(folder));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scan the classpath for CRDs", e);
    }
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String resource : resources.stream().distinct().sorted().toList()) {
      try (InputStream yaml = ClasspathCrds.class.getClassLoader().getResourceAsStream(resource)) {
        crds.add(KubernetesJson.SERIALIZATION.unmarshal(yaml, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return crds;
  }

  private static List<String> list(URL folder) throws IOException {
    if (folder.getProtocol().equals("jar")) {
      try (JarFile jar = ((JarURLConnection) folder.openConnection()).getJarFile()) {
        return jar.stream().map(ZipEntry::getName).filter(ClasspathCrds::isCrd).toList();
      }
    }
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return files.map(file -> FOLDER + file.getFileName()).filter(ClasspathCrds::isCrd).toList();
    } catch (URISyntaxException e) {
      throw new IOException("unreadable classpath folder " + folder, e);
    }
  }

  private static boolean isCrd(String name) {
    return name.startsWith(FOLDER) && name.endsWith(SUFFIX) && name.indexOf('/', FOLDER.length()) < 0;
  }
}
