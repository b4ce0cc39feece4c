package org.langneurons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class DisplayTest {
    @Test
    void tableHtmlEscapesTextAlignsNumbersAndRoundsDecimals() {
        Table t = Table.create("a <b> & c", StringColumn.create("lang", "en", "x<y"), IntColumn.create("n", 3, 12),
                DoubleColumn.create("p", 3.14159265, 12345.678));
        assertEquals("<table class=\"ln-table\"><caption>a &lt;b&gt; &amp; c</caption><thead><tr><th>lang</th>"
                + "<th>n</th><th>p</th></tr></thead><tbody>"
                + "<tr><td>en</td><td class=\"num\">3</td><td class=\"num\">3.142</td></tr>"
                + "<tr><td>x&lt;y</td><td class=\"num\">12</td><td class=\"num\">12,345.7</td></tr>"
                + "</tbody></table>", Display.tableHtml(t));
    }

    @Test
    void decimalsKeepFourSignificantDigits() {
        assertEquals("0.01235", Display.decimal(0.0123456));
        assertEquals("0.5", Display.decimal(0.5));
        assertEquals("-2", Display.decimal(-2.0));
        assertEquals("999.9", Display.decimal(999.94));
        assertEquals("1,000.0", Display.decimal(999.96 + 0.05));
        assertEquals("NaN", Display.decimal(Double.NaN));
    }

    @Test
    void outsideAKernelTablesPrintAsText() {
        assertEquals("none", Display.kernel());
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Display.table(Table.create("t", IntColumn.create("n", new int[] {7})));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(true, out.contains("n") && out.contains("7") && !out.contains("<table"), out);
    }
}
