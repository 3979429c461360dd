package io.tracestream.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of the test's own and what it signed, made with {@code openssl} into a
 * folder under target/: a server certificate for {@code 127.0.0.1} and {@code localhost} (its
 * subject alternative names, so hostname verification passes), and a client certificate with its
 * key in a PKCS#12 file, for a Redis that asks clients for one.
 *
 * @param ca             PEM certificate of the authority: what {@code tracestream.redis.tls.ca-file} names
 * @param serverCert     PEM server certificate
 * @param serverKey      PEM server key
 * @param clientKeystore PKCS#12 client certificate and key, opened by {@link #KEYSTORE_PASSWORD}
 */
record TestCertificates(Path ca, Path serverCert, Path serverKey, Path clientKeystore) {

    static final String KEYSTORE_PASSWORD = "client-keystore-secret";
    private static final String DAYS = "2";

    static TestCertificates make(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path ca = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(),
                "-days", DAYS, "-subj", "/CN=Trace Stream test CA");
        Path serverCert = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        signed(dir, "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                serverCert, serverKey, ca, caKey);
        Path clientCert = dir.resolve("client.crt");
        Path clientKey = dir.resolve("client.key");
        signed(dir, "client", "/CN=trace-stream", "extendedKeyUsage=clientAuth\n", clientCert, clientKey, ca, caKey);
        Path keystore = dir.resolve("client.p12");
        openssl(dir, "pkcs12", "-export", "-in", clientCert.toString(), "-inkey", clientKey.toString(), "-name", "client",
                "-out", keystore.toString(), "-passout", "pass:" + KEYSTORE_PASSWORD);
        return new TestCertificates(ca, serverCert, serverKey, keystore);
    }

    private static void signed(Path dir, String name, String subject, String extensions, Path cert, Path key, Path ca, Path caKey) {
        Path request = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\n" + extensions);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", request.toString(), "-subj", subject);
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", DAYS, "-extfile", ext.toString());
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl not found: the TLS tests make their certificates with it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
