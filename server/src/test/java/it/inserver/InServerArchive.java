package it.inserver;

import jakarta.persistence.Converter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test archives that Arquillian deploys next to the application, in the same server and on the
 * same data source. A second web application cannot see the first one's classes, so an archive
 * carries the application classes it tests: the given roots and every application class they refer
 * to, found in their class files (so that the archive follows when classes move between packages).
 * It gets the application's persistence unit cut down to the entities it carries, the application's
 * configuration defaults, and a beans.xml like the application's. What the roots do not reach (the
 * dispatcher, the REST layer, start-up) is not there and does not run twice.
 */
final class InServerArchive {

  private static final String APP_PACKAGE = "dev/stevedore/";
  private static final String CONFIG = "META-INF/microprofile-config.properties";
  private static final Pattern CLASS_NAME = Pattern.compile("dev/stevedore/[A-Za-z0-9_$/]+");
  private static final Pattern PERSISTENCE_CLASS =
      Pattern.compile("[ \\t]*<class>([^<]+)</class>[ \\t]*\\r?\\n");

  private InServerArchive() {}

  /**
   * A web archive named {@code name} with the given classes (the tests, their helpers and the
   * application classes under test) and every application class they refer to.
   */
  static WebArchive of(String name, Class<?>... roots) {
    String unit = resource("META-INF/persistence.xml");
    Set<String> converters = new LinkedHashSet<>();
    for (String listed : listedClasses(unit)) {
      if (isConverter(listed)) {
        converters.add(listed);
      }
    }
    Set<String> classes = closure(roots);
    boolean persistent = listedClasses(unit).stream().anyMatch(classes::contains);
    if (persistent) {
      classes = closure(roots, converters);
    }
    WebArchive archive = ShrinkWrap.create(WebArchive.class, name + ".war");
    classes.forEach(archive::addClass);
    if (persistent) {
      archive.addAsResource(new StringAsset(onlyThese(unit, classes)), "META-INF/persistence.xml");
    }
    // The application's configuration defaults live in one file, not in its annotations.
    archive.addAsResource(CONFIG);
    archive.addAsWebInfResource(
        new StringAsset(
            "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                + " bean-discovery-mode=\"annotated\"/>"),
        "beans.xml");
    return archive;
  }

  /** The jar (or directory) a class was loaded from, to add to an archive as a library. */
  static File libraryOf(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> closure(Class<?>[] roots) {
    return closure(roots, Set.of());
  }

  /** The roots and every application class they refer to, directly or not. */
  private static Set<String> closure(Class<?>[] roots, Set<String> moreRoots) {
    Set<String> found = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Class<?> root : roots) {
      todo.add(root.getName().replace('.', '/'));
    }
    for (String root : moreRoots) {
      todo.add(root.replace('.', '/'));
    }
    while (!todo.isEmpty()) {
      String internal = todo.poll();
      String className = internal.replace('/', '.');
      if (!found.add(className)) {
        continue;
      }
      byte[] bytes = classFile(internal);
      if (bytes == null) {
        found.remove(className); // a name that is no class (a package in a string, say)
        continue;
      }
      for (String referred : referredNames(bytes)) {
        if (referred.startsWith(APP_PACKAGE) && !found.contains(referred.replace('/', '.'))) {
          todo.add(referred);
        }
      }
    }
    return found;
  }

  private static byte[] classFile(String internalName) {
    try (InputStream in =
        InServerArchive.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Names of application classes in a class file's constant pool: class references, and types in
   * field and method descriptors, generic signatures and annotations.
   */
  private static Set<String> referredNames(byte[] classFile) {
    Set<String> names = new LinkedHashSet<>();
    int count = u2(classFile, 8);
    int offset = 10;
    for (int i = 1; i < count; i++) {
      int tag = classFile[offset] & 0xff;
      switch (tag) {
        case 1 -> { // Utf8
          int length = u2(classFile, offset + 1);
          String text = new String(classFile, offset + 3, length, StandardCharsets.UTF_8);
          Matcher m = CLASS_NAME.matcher(text);
          while (m.find()) {
            names.add(m.group());
          }
          offset += 3 + length;
        }
        case 7, 8, 16, 19, 20 -> offset += 3; // Class, String, MethodType, Module, Package
        case 15 -> offset += 4; // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> offset += 5;
        case 5, 6 -> { // Long, Double: two slots
          offset += 9;
          i++;
        }
        default -> throw new IllegalStateException("constant pool tag " + tag);
      }
    }
    return names;
  }

  private static int u2(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
  }

  /** The classes a persistence.xml lists. */
  private static List<String> listedClasses(String unit) {
    List<String> listed = new ArrayList<>();
    Matcher m = PERSISTENCE_CLASS.matcher(unit);
    while (m.find()) {
      listed.add(m.group(1).trim());
    }
    return listed;
  }

  /** The persistence unit with only those of its classes that the archive carries. */
  private static String onlyThese(String unit, Set<String> classes) {
    StringBuilder kept = new StringBuilder();
    Matcher m = PERSISTENCE_CLASS.matcher(unit);
    while (m.find()) {
      m.appendReplacement(
          kept, classes.contains(m.group(1).trim()) ? Matcher.quoteReplacement(m.group()) : "");
    }
    m.appendTail(kept);
    return kept.toString();
  }

  private static boolean isConverter(String className) {
    try {
      return Class.forName(className, false, InServerArchive.class.getClassLoader())
          .isAnnotationPresent(Converter.class);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static String resource(String name) {
    try (InputStream in = InServerArchive.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
