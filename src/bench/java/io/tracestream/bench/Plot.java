package io.tracestream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/** Latency percentiles by load, as a PNG drawn with Java2D (log scale; medians of the runs). */
final class Plot {

    private static final int W = 960;
    private static final int H = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final double Y_MIN = 0.01;
    private static final double Y_MAX = 1000;

    private Plot() {
    }

    static int[] rates(Bench bench) {
        return IntStream.concat(Arrays.stream(Bench.SWEEP_RATES), IntStream.of(Bench.RATE)).distinct().sorted().toArray();
    }

    static void write(Bench bench, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Figures fig = bench.fig;
        int[] rates = rates(bench);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString("Trace Stream: POST-to-SSE latency by load (" + Bench.TRACES * Bench.PER_TRACE + " subscribers, "
                + Bench.TRACES + " traces; medians of " + Bench.REPS + " run(s))", LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        int y1 = TOP;
        // grid: decades
        for (double v = Y_MIN; v <= Y_MAX * 1.001; v *= 10) {
            int y = y(v, y0, y1);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x0, y, x1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(v < 1 ? String.format(Locale.ROOT, v < 0.1 ? "%.2f" : "%.1f", v) : String.format(Locale.ROOT, "%.0f", v), x0 - 40, y + 4);
        }
        g.drawString("latency, ms (log)", 8, y1 - 12);
        int n = rates.length;
        int[] xs = new int[n];
        for (int i = 0; i < n; i++) {
            xs[i] = n == 1 ? (x0 + x1) / 2 : x0 + 30 + i * (x1 - x0 - 60) / (n - 1);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,d", rates[i]);
            g.drawString(label, xs[i] - g.getFontMetrics().stringWidth(label) / 2, y0 + 18);
        }
        g.drawString("events/s POSTed (x " + Bench.PER_TRACE + " subscribers per trace = deliveries/s)", x0 + 100, y0 + 45);
        g.setColor(Color.BLACK);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        // targets
        Color target = new Color(200, 0, 0);
        dashed(g, target, x0, x1, y(1, y0, y1));
        dashed(g, target, x0, x1, y(5, y0, y1));
        g.setColor(target);
        g.drawString("target p50 1 ms", x1 - 110, y(1, y0, y1) - 4);
        g.drawString("target p99 5 ms", x1 - 110, y(5, y0, y1) - 4);
        String[] ps = {"p50", "p90", "p99", "p999", "max"};
        Color[] colors = {new Color(0, 90, 200), new Color(0, 150, 140), new Color(230, 120, 0), new Color(150, 0, 160), new Color(120, 120, 120)};
        int legendY = y1 + 10;
        for (int p = 0; p < ps.length; p++) {
            g.setColor(colors[p]);
            g.setStroke(new BasicStroke(2.2f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < n; i++) {
                String key = (rates[i] == Bench.RATE ? "live" : "sweep." + rates[i]) + "." + ps[p];
                double v = fig.median(key);
                if (Double.isNaN(v)) {
                    px = -1;
                    continue;
                }
                int yy = y(v, y0, y1);
                g.fillOval(xs[i] - 4, yy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, xs[i], yy);
                }
                px = xs[i];
                py = yy;
            }
            legend(g, colors[p], "Trace Stream, 1 instance, " + ps[p], x1 + 15, legendY += 20, false);
        }
        int liveX = indexOf(rates, Bench.RATE) >= 0 ? xs[indexOf(rates, Bench.RATE)] : (x0 + x1) / 2;
        Color floor = new Color(60, 60, 60);
        String[] fp = {"p50", "p99", "p999"};
        for (String p : fp) {
            double v = fig.median("floor." + p);
            if (!Double.isNaN(v)) {
                g.setColor(floor);
                int yy = y(v, y0, y1);
                g.drawLine(liveX - 14, yy, liveX - 4, yy);
                g.drawString("Redis " + p, liveX - 90, yy + 4);
            }
        }
        legend(g, floor, "Redis floor (XADD->XREADGROUP)", x1 + 15, legendY += 30, true);
        Color fan = new Color(200, 0, 100);
        for (String p : new String[] {"p50", "p99", "p999"}) {
            double v = fig.median("fanout." + p);
            if (!Double.isNaN(v)) {
                g.setColor(fan);
                int yy = y(v, y0, y1);
                g.drawRect(liveX + 8, yy - 4, 8, 8);
                g.drawString(p, liveX + 20, yy + 4);
            }
        }
        legend(g, fan, "3 instances (squares)", x1 + 15, legendY += 20, true);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static void legend(Graphics2D g, Color c, String text, int x, int y, boolean box) {
        g.setColor(c);
        if (box) {
            g.drawRect(x, y - 8, 8, 8);
        } else {
            g.fillOval(x, y - 8, 8, 8);
        }
        g.setColor(Color.BLACK);
        g.drawString(text, x + 14, y);
    }

    private static void dashed(Graphics2D g, Color c, int x0, int x1, int y) {
        g.setColor(c);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
        g.drawLine(x0, y, x1, y);
        g.setStroke(new BasicStroke(1f));
    }

    private static int y(double ms, int y0, int y1) {
        double v = Math.max(Y_MIN, Math.min(Y_MAX, ms));
        double f = (Math.log10(v) - Math.log10(Y_MIN)) / (Math.log10(Y_MAX) - Math.log10(Y_MIN));
        return (int) Math.round(y0 - f * (y0 - y1));
    }
}
