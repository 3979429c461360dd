package io.tracestream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs {@code io.tracestream.bench.hub.BareHub} (the stack floor) into a WAR of its own, from the
 * benchmark's compiled classes. Named, not referenced: the benchmark's JVM need not load a servlet.
 */
final class HubWar {

    private HubWar() {
    }

    /** Writes {@code war} holding the hub's classes under WEB-INF/classes; the servlet is found by its annotation. */
    static Path write(Path war) throws IOException {
        String dir = "io/tracestream/bench/hub";
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
