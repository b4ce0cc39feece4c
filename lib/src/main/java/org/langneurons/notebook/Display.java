package org.langneurons.notebook;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.langneurons.report.Plotly;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.plotly.components.Figure;

/**
 * Rich output in a Java notebook: Tablesaw tables as HTML tables, Plotly figures with plotly.js embedded from the
 * pinned npm package (never a CDN), and HTML fragments. It works in any of the Java kernels without magics: it hands
 * {@code text/html} to rapaio-jupyter-kernel's {@code Global.display}, or to IJava's or JJava's {@code Display.display}
 * (looked up by reflection, so the library depends on none of them), and outside a kernel prints the plain-text
 * form.
 *
 * <pre>{@code
 * Display.setup();                                   // first cell: plotly.js, once per notebook
 * Display.table(NeuronTables.neuronsPerLanguage(lape));
 * Display.figure(NeuronCharts.layerDistribution(lape));
 * Plotly.save(NeuronCharts.overlap(lape), Path.of("out/figure.html"));   // any figure as a standalone page
 * }</pre>
 *
 * <p>{@link #show} puts a fragment in the cell that later calls replace in place (Jupyter's
 * {@code update_display_data}), for progress bars; where the kernel cannot do that, it prints plain lines.
 */
public final class Display {
    private Display() {
    }

    private static final AtomicInteger FIGURES = new AtomicInteger();
    private static volatile boolean plotlySent;

    /**
     * A kernel's display entry points, found once: {@code display} shows, {@code update} (null where the kernel has
     * none) replaces what a display returned the id of; {@code displayData} is IJava's or JJava's DisplayData class,
     * null for rapaio, which takes a MIME type and a String.
     */
    private record Kernel(String name, Method display, Method update, Class<?> displayData) {
    }

    private static final Kernel KERNEL = findKernel();

    /** The Java kernel this code runs in ("rapaio", "ijava", "jjava"), or "none". */
    public static String kernel() {
        return KERNEL == null ? "none" : KERNEL.name();
    }

    /**
     * Sends plotly.js (4.5 MB, from {@link Plotly#script()}) and the table style into the notebook. Call it in the
     * first cell, which is always run after a kernel restart, so the saved notebook and its HTML export carry
     * plotly.js before the first figure. {@link #figure} calls it if it has not run in this kernel.
     */
    public static void setup() {
        if (KERNEL == null) {
            return;   // outside a notebook there is nothing to send plotly.js to
        }
        // Wrapped so that plotly's UMD header defines window.Plotly even where require.js is loaded (classic
        // notebook), instead of registering an AMD module.
        html("<script>(function(define, module, exports) {\n" + Plotly.script() + "\n})();</script>\n<style>"
                + ".ln-table{border-collapse:collapse;margin:0.5em 0;font-size:13px}"
                + ".ln-table caption{font-weight:bold;text-align:left;padding:0.2em 0}"
                + ".ln-table th,.ln-table td{border-bottom:1px solid #ddd;padding:2px 8px}"
                + ".ln-table th{background:#f4f4f4}.ln-table td.num{text-align:right}</style>");
        plotlySent = true;
    }

    /** How long in-place updates wait for each other: often enough to look live, rarely enough to cost nothing. */
    static final double IN_PLACE_SECONDS = 0.5;

    /** How long plain lines wait for each other by default: a line per 10 seconds keeps a long run's log short. */
    static final double LINE_SECONDS = 10;

    /**
     * Shows {@code html} in the cell and returns a handle that replaces it in place (in a kernel that can update a
     * display: rapaio-jupyter-kernel, IJava, JJava). Elsewhere, outside a kernel or where updates fail, it prints
     * {@code text}, and the handle prints a plain line at most every 10 seconds.
     *
     * <pre>{@code
     * Display.Handle h = Display.show("<b>0 / 100</b>", "0 / 100");
     * for (int i = 1; i <= 100; i++) {
     *     Thread.sleep(10);                                    // the work
     *     h.update("<b>" + i + " / 100</b>", i + " / 100");   // at most every 0.5 s in place
     * }
     * h.finish("<b>100 done</b>", "100 done");                 // always shown
     * }</pre>
     */
    public static Handle show(String html, String text) {
        return new Handle(out(), System::nanoTime, LINE_SECONDS, html, text);
    }

    /**
     * A shown fragment that later calls replace: in place in a kernel that can update a display, otherwise as
     * plain lines. Updates are throttled (in place at most every 0.5 s, lines at most every few seconds); the
     * final state, {@link #finish}, always shows. Thread-safe: Java kernels run a cell on their own thread.
     */
    public static final class Handle {
        private final Out out;
        private final LongSupplier clock;
        private final double lineSeconds;
        private String id;   // the kernel's display id; null: plain lines
        private long last;

        Handle(Out out, LongSupplier clock, double lineSeconds, String html, String text) {
            this.out = out;
            this.clock = clock;
            this.lineSeconds = lineSeconds;
            if (out.canUpdate()) {
                try {
                    id = out.display(html, text);
                } catch (RuntimeException e) {
                    // a progress display must never end the computation it reports on: lines instead
                    id = null;
                }
            }
            if (id == null) {
                out.println(text);
            }
            last = clock.getAsLong();
        }

        /** Whether updates replace the fragment (true) or print lines (false). */
        public synchronized boolean inPlace() {
            return id != null;
        }

        /** Replaces the fragment, unless the last one was shown less than 0.5 s ago (a line: a few seconds). */
        public synchronized void update(String html, String text) {
            double wait = id != null ? IN_PLACE_SECONDS : lineSeconds;
            if (clock.getAsLong() - last >= (long) (wait * 1e9)) {
                send(html, text);
            }
        }

        /** Replaces the fragment whenever it was last shown: the final state of what it reports. */
        public synchronized void finish(String html, String text) {
            send(html, text);
        }

        private void send(String html, String text) {
            last = clock.getAsLong();
            if (id != null) {
                try {
                    out.update(id, html, text);
                    return;
                } catch (RuntimeException e) {
                    id = null;   // the kernel refused the update: lines from here on, the run goes on
                }
            }
            out.println(text);
        }
    }

    /** Where {@link Handle}s send: a kernel's displays or standard output (package-private so tests can watch). */
    interface Out {
        /** Whether {@link #display} returns an id that {@link #update} can replace. */
        boolean canUpdate();

        /** Shows html ({@code text} as its plain form where the kernel takes both); returns the display id. */
        String display(String html, String text);

        /** Replaces the display {@code id}. */
        void update(String id, String html, String text);

        /** Prints a plain line. */
        void println(String text);
    }

    /** Standard output only: plain lines even in a kernel. */
    static final Out LINES = new Out() {
        @Override
        public boolean canUpdate() {
            return false;
        }

        @Override
        public String display(String html, String text) {
            throw new UnsupportedOperationException("plain lines only");
        }

        @Override
        public void update(String id, String html, String text) {
            throw new UnsupportedOperationException("plain lines only");
        }

        @Override
        public void println(String text) {
            System.out.println(text);
            System.out.flush();
        }
    };

    /** The kernel's displays where it can update them in place, else {@link #LINES}. */
    static Out out() {
        return KERNEL == null || KERNEL.update() == null ? LINES : KERNEL_OUT;
    }

    private static final Out KERNEL_OUT = new Out() {
        @Override
        public boolean canUpdate() {
            return true;
        }

        @Override
        public String display(String html, String text) {
            Object id = KERNEL.displayData() == null ? invoke(KERNEL.display(), "text/html", html)
                    : invoke(KERNEL.display(), data(html, text));
            if (!(id instanceof String s)) {
                throw new IllegalStateException("the " + KERNEL.name() + " kernel returned no display id");
            }
            return s;
        }

        @Override
        public void update(String id, String html, String text) {
            if (KERNEL.displayData() == null) {
                invoke(KERNEL.update(), id, "text/html", html);
            } else {
                invoke(KERNEL.update(), id, data(html, text));
            }
        }

        @Override
        public void println(String text) {
            LINES.println(text);
        }
    };

    /** IJava's or JJava's DisplayData with both forms: text/plain keeps a saved notebook readable as text. */
    private static Object data(String html, String text) {
        try {
            Object data = KERNEL.displayData().getConstructor().newInstance();
            KERNEL.displayData().getMethod("putHTML", String.class).invoke(data, html);
            KERNEL.displayData().getMethod("putText", String.class).invoke(data, text);
            return data;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build display data for the " + KERNEL.name() + " kernel: " + e,
                    e);
        }
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot display through the " + KERNEL.name() + " kernel: " + e, e);
        }
    }

    /** Shows a Tablesaw table as an HTML table. */
    public static void table(Table table) {
        if (KERNEL == null) {
            System.out.println(table.printAll());
        } else {
            html(tableHtml(table));
        }
    }

    /** Shows a Plotly figure (sending plotly.js first if {@link #setup} has not run). */
    public static void figure(Figure figure) {
        if (KERNEL == null) {
            System.out.println("[figure: " + title(figure) + "]");
            return;
        }
        if (!plotlySent) {
            setup();
        }
        // Tablesaw names a JavaScript variable after the div: the id must be an identifier
        String id = "lnplot" + FIGURES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        html(Plotly.div(figure, id));
    }

    /** Shows an HTML fragment ({@code text/html}); outside a kernel, prints it. */
    public static void html(String html) {
        if (KERNEL == null) {
            System.out.println(html);
            return;
        }
        try {
            if (KERNEL.displayData() == null) {
                KERNEL.display().invoke(null, "text/html", html);
            } else {
                Object data = KERNEL.displayData().getConstructor().newInstance();
                KERNEL.displayData().getMethod("putHTML", String.class).invoke(data, html);
                KERNEL.display().invoke(null, data);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot display through the " + KERNEL.name() + " kernel: " + e, e);
        }
    }

    /**
     * The table as an HTML {@code <table>} with its name as caption; numbers right-aligned (decimals to four
     * significant digits), text escaped.
     */
    public static String tableHtml(Table table) {
        StringBuilder b = new StringBuilder("<table class=\"ln-table\">");
        if (table.name() != null && !table.name().isBlank()) {
            b.append("<caption>").append(Plotly.escape(table.name())).append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            b.append("<th>").append(Plotly.escape(c.name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            b.append("<tr>");
            for (Column<?> c : table.columns()) {
                String type = c.type().name();
                boolean number = type.matches("INTEGER|LONG|SHORT|DOUBLE|FLOAT");
                String text = type.matches("DOUBLE|FLOAT") && !c.isMissing(r)
                        ? decimal(((Number) c.get(r)).doubleValue()) : c.getString(r);
                b.append(number ? "<td class=\"num\">" : "<td>").append(Plotly.escape(text)).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** Four significant digits below 1000 (0.0123, 3.142, 512.5), one decimal with grouping above. */
    static String decimal(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.1f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String title(Figure f) {
        return f.getLayout() != null && f.getLayout().getTitle() != null ? f.getLayout().getTitle() : "untitled";
    }

    private static Kernel findKernel() {
        try {
            // rapaio 3.0.1: display(mime, o) sends display_data with a fresh transient display_id and returns it;
            // updateDisplay(id, mime, o) sends update_display_data with that id
            Class<?> global = Class.forName("org.rapaio.jupyter.kernel.global.Global");
            Method display = global.getMethod("display", String.class, Object.class);
            return new Kernel("rapaio", display, update(display, global, String.class, String.class, Object.class),
                    null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // not in rapaio-jupyter-kernel
        }
        String[][] others = {
            {"ijava", "io.github.spencerpark.ijava.runtime.Display", "io.github.spencerpark.jupyter.kernel.display.DisplayData"},
            {"jjava", "org.dflib.jjava.runtime.Display", "org.dflib.jjava.jupyter.kernel.display.DisplayData"},
        };
        for (String[] k : others) {
            try {
                Class<?> display = Class.forName(k[1]);
                Class<?> data = Class.forName(k[2]);
                // display(o) returns the display id; updateDisplay(id, o) replaces it
                Method show = display.getMethod("display", Object.class);
                return new Kernel(k[0], show, update(show, display, String.class, Object.class), data);
            } catch (ReflectiveOperationException | LinkageError e) {
                // not this kernel
            }
        }
        return null;
    }

    /**
     * {@code c.updateDisplay(parameters)}, or null where this kernel version lacks it or its {@code display} returns
     * no id to update.
     */
    private static Method update(Method display, Class<?> c, Class<?>... parameters) {
        try {
            return display.getReturnType() == String.class ? c.getMethod("updateDisplay", parameters) : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Formats a count of seconds as "12 s" or "3.4 min", for progress lines. */
    public static String duration(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
}
