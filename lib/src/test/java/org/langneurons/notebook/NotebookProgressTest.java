package org.langneurons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookProgressTest {
    /** A clock the test moves by hand, in seconds. */
    private static final class Clock {
        double seconds;

        long nanos() {
            return Math.round(seconds * 1e9);
        }
    }

    /** Records what a kernel (canUpdate) or standard output would receive: "display d1: text", "update d1: text". */
    private static final class Recorder implements Display.Out {
        final boolean canUpdate;
        final List<String> events = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        boolean failUpdates;

        Recorder(boolean canUpdate) {
            this.canUpdate = canUpdate;
        }

        @Override
        public boolean canUpdate() {
            return canUpdate;
        }

        @Override
        public String display(String h, String text) {
            String id = "d" + (events.stream().filter(e -> e.startsWith("display")).count() + 1);
            events.add("display " + id + ": " + text);
            html.add(h);
            return id;
        }

        @Override
        public void update(String id, String h, String text) {
            if (failUpdates) {
                throw new IllegalStateException("no update_display_data here");
            }
            events.add("update " + id + ": " + text);
            html.add(h);
        }

        @Override
        public void println(String text) {
            events.add("line: " + text);
        }
    }

    @Test
    void plainLinesKeepTheirWording() {
        // 88,000 tokens left at 8,000 tokens/s: 11 s
        assertEquals("fr: 12,000 / 100,000 tokens (8,000 tokens/s, 11 s left)",
                NotebookProgress.tokensLine("fr", 12_000, 100_000, 8_000));
        assertEquals("fr: 100,000 / 100,000 tokens (8,333 tokens/s)",
                NotebookProgress.tokensLine("fr", 100_000, 100_000, 8_333.4));
        // 96 s for 12 evaluations: 8 s each, 18 left: 144 s = 2.4 min
        assertEquals("12 / 30 evaluations (1.6 min, 2.4 min left)", NotebookProgress.evaluationsLine(12, 30, 96));
        assertEquals("30 / 30 evaluations (4.0 min)", NotebookProgress.evaluationsLine(30, 30, 240));
    }

    @Test
    void barTextShowsPercentRateElapsedAndTimeLeft() {
        // 63,000 left at 8,300 tokens/s: 7.6 s, shown as 8 s; 4.2 s elapsed shown as 4 s
        String running = NotebookProgress.tokensHtml("fr", 37_000, 100_000, 8_300, 4.2);
        assertTrue(running.contains(">37% · 37,000 / 100,000 tokens · 8,300 tokens/s · 4 s elapsed · 8 s left<"),
                running);
        assertTrue(running.contains("width:37.0%;background:#4a86d8"), running);
        assertTrue(running.contains(">fr</span>"), running);

        String done = NotebookProgress.tokensHtml("fr", 100_000, 100_000, 8_300, 12.05);
        assertTrue(done.contains(">100,000 tokens in 12 s (8,300 tokens/s)<"), done);
        assertTrue(done.contains("width:100.0%;background:#3c9a5f"), done);

        // 40%: 8 s per evaluation, 96 s = 1.6 min elapsed, 18 * 8 s = 144 s = 2.4 min left
        String evals = NotebookProgress.evaluationsHtml(12, 30, 96);
        assertTrue(evals.contains(">40% · 12 / 30 evaluations · 8 s/evaluation · 1.6 min elapsed · 2.4 min left<"),
                evals);
        assertTrue(evals.contains("width:40.0%"), evals);
        assertTrue(NotebookProgress.evaluationsHtml(30, 30, 240)
                .contains(">30 evaluations in 4.0 min (8 s/evaluation)<"));
    }

    @Test
    void barHtmlIsOneLineWithLabelBarAndEscapedText() {
        assertEquals("<div class=\"ln-progress\" style=\"font-family:monospace;font-size:12px;line-height:1.7;"
                + "white-space:nowrap\"><span style=\"display:inline-block;min-width:3em;margin-right:0.8em\">"
                + "a&lt;b</span><span style=\"display:inline-block;width:16em;height:0.9em;vertical-align:middle;"
                + "background:#e4e4e4;border-radius:3px;overflow:hidden\"><span style=\"display:block;height:100%;"
                + "width:25.0%;background:#4a86d8\"></span></span><span style=\"margin-left:0.8em\">x &amp; y</span>"
                + "</div>", NotebookProgress.barHtml("a<b", 0.25, false, "x & y"));
        // no label: no label column; a fraction beyond 1 is a full bar
        String h = NotebookProgress.barHtml("", 1.7, true, "t");
        assertFalse(h.contains("min-width"), h);
        assertTrue(h.contains("width:100.0%;background:#3c9a5f"), h);
    }

    @Test
    void percentRoundsDownAndRatesSwitchUnits() {
        assertEquals(99, NotebookProgress.percent(999, 1000));   // 99.9%: not done, not 100%
        assertEquals(100, NotebookProgress.percent(1000, 1000));
        assertEquals(100, NotebookProgress.percent(0, 0));
        assertEquals(33, NotebookProgress.percent(1, 3));
        assertEquals("8.0 evaluations/s", NotebookProgress.evaluationRate(20, 2.5));   // 0.125 s each
        assertEquals("12 s/evaluation", NotebookProgress.evaluationRate(5, 60));
        assertEquals("1.5 min/evaluation", NotebookProgress.evaluationRate(2, 180));
        assertEquals("? s/evaluation", NotebookProgress.evaluationRate(0, 3));
    }

    @Test
    void inAKernelOneBarPerLanguageIsUpdatedAtMostEveryHalfSecondAndOnceAtTheEnd() {
        Clock clock = new Clock();
        Recorder out = new Recorder(true);
        NotebookProgress p = new NotebookProgress(out, clock::nanos, 10);
        clock.seconds = 1.0;
        p.update("fr", 1_000, 4_000, 1_000);     // new bar
        clock.seconds = 1.2;
        p.update("fr", 2_000, 4_000, 1_000);     // 0.2 s after: held back
        clock.seconds = 1.5;
        p.update("fr", 3_000, 4_000, 1_000);     // 0.5 s after: replaced
        clock.seconds = 1.7;
        p.update("fr", 3_500, 4_000, 1_000);     // held back
        clock.seconds = 1.8;
        p.update("fr", 4_000, 4_000, 2_000);     // done: always replaced
        clock.seconds = 2.0;
        p.update("de", 500, 1_000, 2_500);       // a new language: a new bar
        clock.seconds = 2.2;
        p.update("de", 1_000, 1_000, 2_500);     // done 0.2 s after it started: still shown
        assertEquals(List.of(
                "display d1: fr: 1,000 / 4,000 tokens (1,000 tokens/s, 3 s left)",
                "update d1: fr: 3,000 / 4,000 tokens (1,000 tokens/s, 1 s left)",
                "update d1: fr: 4,000 / 4,000 tokens (2,000 tokens/s)",
                "display d2: de: 500 / 1,000 tokens (2,500 tokens/s, 0 s left)",
                "update d2: de: 1,000 / 1,000 tokens (2,500 tokens/s)"), out.events);
        // fr's time runs from the progress's creation (0 s) to 1.8 s; de's from fr's end (1.8 s) to 2.2 s
        assertTrue(out.html.get(2).contains(">4,000 tokens in 2 s (2,000 tokens/s)<"), out.html.get(2));
        assertTrue(out.html.get(3).contains(">50% · 500 / 1,000 tokens · 2,500 tokens/s · 0 s elapsed · 0 s left<"),
                out.html.get(3));
        assertTrue(out.html.get(4).contains(">1,000 tokens in 0 s (2,500 tokens/s)<"), out.html.get(4));
    }

    @Test
    void theSameLanguageAgainOrACountThatGoesBackStartsANewBar() {
        Clock clock = new Clock();
        Recorder out = new Recorder(true);
        NotebookProgress p = new NotebookProgress(out, clock::nanos, 10);
        p.update("fr", 10, 10, 100);             // statistics of fr: done at once
        clock.seconds = 0.1;
        p.update("fr", 5, 10, 100);              // the relevance pass of fr: a second bar
        clock.seconds = 0.2;
        p.update(1, 4);                          // evaluations: a third
        clock.seconds = 0.3;
        p.update(1, 4);                          // held back (0.1 s)
        clock.seconds = 5;
        p.update(2, 4);
        clock.seconds = 6;
        p.update(1, 4);                          // the count went back: the loop runs again, a fourth bar
        assertEquals(List.of("display d1: fr: 10 / 10 tokens (100 tokens/s)",
                "display d2: fr: 5 / 10 tokens (100 tokens/s, 0 s left)",
                "display d3: 1 / 4 evaluations (0 s, 0 s left)",
                "update d3: 2 / 4 evaluations (5 s, 5 s left)",
                "display d4: 1 / 4 evaluations (1 s, 3 s left)"), out.events);
    }

    @Test
    void plainLinesComeAtMostEveryIntervalAndAlwaysAtAStartAndAnEnd() {
        Clock clock = new Clock();
        Recorder out = new Recorder(false);      // outside a kernel, or a kernel without display updates
        NotebookProgress p = new NotebookProgress(out, clock::nanos, 10);
        clock.seconds = 1;
        p.update("fr", 1_000, 10_000, 1_000);    // first: printed
        clock.seconds = 5;
        p.update("fr", 5_000, 10_000, 1_000);    // 4 s after: not yet
        clock.seconds = 10.9;
        p.update("fr", 9_000, 10_000, 1_000);    // 9.9 s after: not yet
        clock.seconds = 11;
        p.update("fr", 9_500, 10_000, 1_000);    // 10 s after: printed
        clock.seconds = 12;
        p.update("fr", 10_000, 10_000, 1_000);   // done: printed
        clock.seconds = 13;
        p.update("de", 100, 10_000, 1_000);      // a new language: printed at once
        clock.seconds = 14;
        p.update("de", 200, 10_000, 1_000);
        assertEquals(List.of("line: fr: 1,000 / 10,000 tokens (1,000 tokens/s, 9 s left)",
                "line: fr: 9,500 / 10,000 tokens (1,000 tokens/s, 1 s left)",
                "line: fr: 10,000 / 10,000 tokens (1,000 tokens/s)",
                "line: de: 100 / 10,000 tokens (1,000 tokens/s, 10 s left)"), out.events);
    }

    @Test
    void aKernelThatRefusesUpdatesGetsLinesAndTheLoopGoesOn() {
        Clock clock = new Clock();
        Recorder out = new Recorder(true);
        out.failUpdates = true;
        NotebookProgress p = new NotebookProgress(out, clock::nanos, 10);
        p.update(1, 3);
        clock.seconds = 1;
        p.update(2, 3);                          // the update fails: printed as a line instead
        clock.seconds = 2;
        p.update(2, 3);                          // lines from now on: 10 s apart
        clock.seconds = 3;
        p.update(3, 3);                          // the end: printed
        assertEquals(List.of("display d1: 1 / 3 evaluations (0 s, 0 s left)",
                "line: 2 / 3 evaluations (1 s, 1 s left)", "line: 3 / 3 evaluations (3 s)"), out.events);
    }

    @Test
    void handleShowsUpdatesAndFinishes() {
        Clock clock = new Clock();
        Recorder out = new Recorder(true);
        Display.Handle h = new Display.Handle(out, clock::nanos, 10, "<b>0</b>", "0");
        assertTrue(h.inPlace());
        clock.seconds = 0.49;
        h.update("<b>1</b>", "1");
        clock.seconds = 0.5;
        h.update("<b>2</b>", "2");
        h.finish("<b>3</b>", "3");
        assertEquals(List.of("display d1: 0", "update d1: 2", "update d1: 3"), out.events);
        assertEquals(List.of("<b>0</b>", "<b>2</b>", "<b>3</b>"), out.html);

        Recorder lines = new Recorder(false);
        Display.Handle l = new Display.Handle(lines, clock::nanos, 2, "<b>0</b>", "0");
        assertFalse(l.inPlace());
        clock.seconds = 2.4;
        l.update("<b>1</b>", "1");
        clock.seconds = 2.5;
        l.update("<b>2</b>", "2");
        l.finish("<b>3</b>", "3");
        assertEquals(List.of("line: 0", "line: 2", "line: 3"), lines.events);
    }

    @Test
    void outsideAKernelTheBarIsPlainLinesOnStandardOutput() {
        assertSame(Display.LINES, Display.out());
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            NotebookProgress p = NotebookProgress.bar();
            p.update("fr", 50, 100, 10);
            p.update("fr", 60, 100, 10);         // within 10 s: not printed
            p.update("fr", 100, 100, 10);
            Display.Handle h = Display.show("<b>x</b>", "x");
            assertFalse(h.inPlace());
        } finally {
            System.setOut(old);
        }
        assertEquals(String.join(System.lineSeparator(), "fr: 50 / 100 tokens (10 tokens/s, 5 s left)",
                "fr: 100 / 100 tokens (10 tokens/s)", "x", ""), buf.toString(StandardCharsets.UTF_8));
    }
}
