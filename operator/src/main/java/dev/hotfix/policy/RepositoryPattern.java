package dev.hotfix.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of {@code spec.images.allowedRepositories}: a glob over a fully qualified
 * repository, anchored at both ends. {@code *} stays within one path segment (so
 * {@code registry.example.com/*} does not admit {@code registry.example.com/other-team/x}),
 * {@code **} crosses segments (a prefix: {@code registry.example.com/**}).
 */
record RepositoryPattern(String glob, Pattern regex) {

  static RepositoryPattern of(String glob) {
    StringBuilder re = new StringBuilder();
    String g = glob.trim();
    int slash = g.indexOf('/');
    // the host compares as the runtime does, without regard to case
    g = slash < 0 ? g.toLowerCase(Locale.ROOT) : g.substring(0, slash).toLowerCase(Locale.ROOT) + g.substring(slash);
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new RepositoryPattern(glob, Pattern.compile(re.toString()));
  }

  boolean matches(ImageReference image) {
    return regex.matcher(image.repository()).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
