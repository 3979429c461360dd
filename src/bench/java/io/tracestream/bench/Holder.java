package io.tracestream.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client process holding many idle SSE streams (the 10,000 / 19,000 open streams test): one
 * process holds at most ~19,900 sockets here, and one source address at most ~28,000 ephemeral
 * ports, so the benchmark spreads streams over several of these, each on its own addresses.
 *
 * <p>Args: port, source addresses (comma-separated), trace prefix, first trace, end trace
 * (exclusive), streams per trace, connections opened at once. Prints {@code READY ...} when every
 * stream is open (its first event, the trace's history, received) or failed; then obeys stdin:
 * {@code ARM} (record latencies of events sent from now; answers {@code ARMED}), {@code PROBE n}
 * (wait until every open stream has event n; answers {@code PROBED ...}), {@code QUIT}.
 */
final class Holder {

    private Holder() {
    }

    static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[1]);
        String[] binds = a[2].split(",");
        String prefix = a[3];
        int from = Integer.parseInt(a[4]);
        int to = Integer.parseInt(a[5]);
        int perTrace = Integer.parseInt(a[6]);
        int inFlight = Integer.parseInt(a[7]);
        int total = (to - from) * perTrace;
        try (SseClients clients = new SseClients("127.0.0.1", port, inFlight)) {
            int k = 0;
            for (int j = 0; j < perTrace; j++) {
                for (int t = from; t < to; t++) {
                    clients.open(prefix + t, t, InetAddress.getByName(binds[k++ % binds.length]));
                }
            }
            // A server that cannot open them all is reported, not waited for: give up after 30 s without progress.
            long deadline = System.nanoTime() + 300_000_000_000L;
            int done = 0;
            long progressAt = System.nanoTime();
            while (done < total && System.nanoTime() < deadline && System.nanoTime() - progressAt < 30_000_000_000L) {
                Thread.sleep(50);
                int now = clients.readyCount.get() + clients.failedCount.get();
                if (now != done) {
                    done = now;
                    progressAt = System.nanoTime();
                }
            }
            String failures;
            synchronized (clients.failures) {
                failures = clients.failures.toString().replace(' ', '_');
            }
            System.out.println("READY " + total + " " + clients.readyCount.get() + " " + clients.failedCount.get() + " "
                    + clients.firstStartNs + " " + clients.lastReadyNs + " " + failures);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cmd = line.trim().split(" ");
                if (cmd[0].equals("ARM")) {
                    clients.takeSamples();
                    clients.recordFrom(System.nanoTime());
                    System.out.println("ARMED");
                } else if (cmd[0].equals("PROBE")) {
                    int n = Integer.parseInt(cmd[1]);
                    long timeout = System.nanoTime() + Long.parseLong(cmd[2]) * 1_000_000L;
                    int[] state;
                    do {
                        Thread.sleep(20);
                        state = probeState(clients, n);
                    } while (state[1] > 0 && System.nanoTime() < timeout);
                    Samples s = clients.takeSamples();
                    System.out.println("PROBED " + state[0] + " " + state[1] + " " + state[2] + " " + state[3] + " "
                            + s.ms(0.5) + " " + s.ms(0.99) + " " + s.maxMs() + " " + clients.closedAfterReady.get());
                } else if (cmd[0].equals("QUIT")) {
                    break;
                }
                System.out.flush();
            }
        }
        System.exit(0);
    }

    /** {streams with event n, open streams without it, duplicates, out-of-order ids}. */
    private static int[] probeState(SseClients clients, int n) {
        return clients.call(() -> {
            int got = 0;
            int missing = 0;
            int dups = 0;
            int disorder = 0;
            List<SseClients.Conn> conns = clients.connections();
            for (SseClients.Conn c : conns) {
                if (!c.ready) {
                    continue;
                }
                dups += c.dups;
                disorder += c.disorder;
                if (c.seen.get(n)) {
                    got++;
                } else {
                    missing++;
                }
            }
            return new int[] {got, missing, dups, disorder};
        });
    }
}
