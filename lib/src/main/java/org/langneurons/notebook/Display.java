package org.langneurons.notebook;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Plotly.save(figure, Path.of("out/figure.html"));   // any figure as a standalone page
 * }</pre>
 */
public final class Display {
    private Display() {
    }

    private static final AtomicInteger FIGURES = new AtomicInteger();
    private static volatile boolean plotlySent;

    /** A kernel's display entry point, found once. */
    private record Kernel(String name, Method display, Class<?> displayData) {
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
            Class<?> global = Class.forName("org.rapaio.jupyter.kernel.global.Global");
            return new Kernel("rapaio", global.getMethod("display", String.class, Object.class), null);
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
                return new Kernel(k[0], display.getMethod("display", Object.class), data);
            } catch (ReflectiveOperationException | LinkageError e) {
                // not this kernel
            }
        }
        return null;
    }

    /** Formats a count of seconds as "12 s" or "3.4 min", for progress lines. */
    public static String duration(double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.0f s", seconds)
                : String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
}
