package io.tracestream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a floor's package into a WAR of its own, from the benchmark's compiled classes: {@link
 * #SERVLET} (the stack floor, {@code BareHub}) or {@link #JAXRS} (its JAX-RS twin, {@code SinkHub},
 * for the heap an open sink holds). Named, not referenced: the benchmark's JVM need not load a servlet.
 */
final class HubWar {

    private HubWar() {
    }

    static final String SERVLET = "io/tracestream/bench/hub";
    static final String JAXRS = "io/tracestream/bench/sinkhub";

    /** Writes {@code war} holding the classes of package directory {@code dir} under WEB-INF/classes; found by their annotations. */
    static Path write(Path war, String dir) throws IOException {
        Path classes;
        try {
            classes = Path.of(HubWar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(dir);
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        try (OutputStream file = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(file);
             var list = Files.list(classes)) {
            for (Path c : list.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + dir + "/" + c.getFileName()));
                try (InputStream in = Files.newInputStream(c)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return war;
    }
}
