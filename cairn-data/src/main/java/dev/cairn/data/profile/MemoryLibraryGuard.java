package dev.cairn.data.profile;

/**
 * datasketches-memory 3.0.2 (which datasketches-java 6.2 uses to serialise sketches) refuses in its
 * static initialiser any Java it does not list (8, 11, 17, 21), although its heap code works on
 * newer ones: Cairn builds for 21 and runs on 21 or newer. On a newer Java this initialises the
 * library once while {@code java.version} reads "21", then restores the real value. The alternative
 * releases (memory 4.x to 7.x with java.lang.foreign) need a newer bytecode target than Cairn's 21.
 */
final class MemoryLibraryGuard {
    private static final String GUARDED_CLASS = "org.apache.datasketches.memory.internal.ResourceImpl";

    static {
        int feature = Runtime.version().feature();
        if (feature > 21) {
            synchronized (System.class) {
                String real = System.getProperty("java.version");
                System.setProperty("java.version", "21.0.0");
                try {
                    Class.forName(GUARDED_CLASS, true, MemoryLibraryGuard.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("datasketches-memory is missing from the class path", e);
                } finally {
                    System.setProperty("java.version", real);
                }
            }
        }
    }

    private MemoryLibraryGuard() {}

    /** Runs the static initialiser (once); call before any sketch is created or read. */
    static void ensureInitialised() {
        // The work happens in the static initialiser, which the JVM runs exactly once.
    }
}
