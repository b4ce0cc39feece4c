package org.langneurons;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Javadoc example of the library compiles against its current API. Run it alone with
 * {@code mvn -B -o test -Dtest=JavadocExamplesTest}.
 *
 * <p><b>What counts as an example.</b> Every {@code <pre>{@code ...}</pre>} block inside a Javadoc comment of
 * {@code src/main/java/**}{@code /*.java}: the text from {@code {@code} to its matching closing brace (braces inside
 * nest), each line with its leading {@code " * "} removed. Such a block must be a <em>Java statement list</em>, as it
 * would stand in a method body; a local class, record, interface or enum is a statement too, so a class-level
 * snippet is written as one. A block that is not Java (a JSON sample, a file layout, a command line) is written as a
 * plain {@code <pre>} without {@code {@code}}, HTML-escaped where needed ({@code &lt;}, {@code &gt;},
 * {@code &amp;}, {@code &#64;}), as {@code corpus/package-info.java} shows; the test does not look at those.
 *
 * <p><b>How it compiles them.</b> Each example becomes the body of its own method {@code throws Exception}, one
 * generated class per source file, all compiled in one call of the JDK's in-process compiler (nothing is run)
 * against the test class path (main classes and every dependency), with on-demand imports of every
 * {@code org.langneurons} package and of {@link #IMPORTS}. The generated class of a file whose top-level type is
 * public lives in a package of its own, so its examples may use only the public API; that of a package-private
 * type (internal documentation) lives in the type's package.
 *
 * <p><b>Given variables.</b> An example may use these without declaring them (they are fields of the generated
 * class, so an example that declares one of these names itself simply shadows it):
 * <table>
 * <caption>The given variables</caption>
 * <tr><td>{@code LanguageModel model}</td><td>a loaded model</td></tr>
 * <tr><td>{@code ModelConfig config}</td><td>a model configuration</td></tr>
 * <tr><td>{@code NDManager manager}</td><td>a DJL manager for results</td></tr>
 * <tr><td>{@code TokenBatch batch}</td><td>a batch of token ids</td></tr>
 * <tr><td>{@code NeuronSet lape, actProb, set}</td><td>neuron sets (by LAPE, by activation probability, any)</td></tr>
 * <tr><td>{@code ActivationStatistics stats}</td><td>one language's activation statistics</td></tr>
 * <tr><td>{@code List<String> texts}</td><td>documents of one language</td></tr>
 * <tr><td>{@code Map<String, List<String>> textsByLanguage}</td><td>documents by language code</td></tr>
 * <tr><td>{@code List<String> prompts}</td><td>prompts to generate from</td></tr>
 * <tr><td>{@code Path dir}</td><td>a folder</td></tr>
 * <tr><td>{@code NDManager scope}</td><td>a sub-manager for one call's arrays</td></tr>
 * <tr><td>{@code TextTokenizer tokenizer}</td><td>a tokenizer</td></tr>
 * <tr><td>{@code TaskEncoder encoder}</td><td>task inputs to token ids</td></tr>
 * <tr><td>{@code ClassificationHead head}</td><td>a classification head</td></tr>
 * <tr><td>{@code ParallelClassificationTask modules}</td><td>a classification task (train, validation, test)</td></tr>
 * <tr><td>{@code ParallelQaTask headings}</td><td>a question-answering task</td></tr>
 * </table>
 * Anything else an example uses it declares. A failure names the source file and line of each example that does not
 * compile, with javac's message.
 */
class JavadocExamplesTest {
    /** Imports of every generated class besides the {@code org.langneurons} packages. */
    static final List<String> IMPORTS = List.of("java.util.*", "java.nio.file.*", "java.util.stream.*",
            "ai.djl.ndarray.*", "ai.djl.ndarray.types.*", "tech.tablesaw.api.*");

    /** The given variables, as the generated classes declare them. */
    static final String GIVENS = """
                org.langneurons.model.LanguageModel model;
                org.langneurons.model.ModelConfig config;
                ai.djl.ndarray.NDManager manager;
                org.langneurons.model.TokenBatch batch;
                org.langneurons.neurons.NeuronSet lape, actProb, set;
                org.langneurons.stats.ActivationStatistics stats;
                java.util.List<java.lang.String> texts;
                java.util.Map<java.lang.String, java.util.List<java.lang.String>> textsByLanguage;
                java.util.List<java.lang.String> prompts;
                java.nio.file.Path dir;
                ai.djl.ndarray.NDManager scope;
                org.langneurons.io.TextTokenizer tokenizer;
                org.langneurons.finetune.TaskEncoder encoder;
                org.langneurons.finetune.ClassificationHead head;
                org.langneurons.tasks.ParallelClassificationTask modules;
                org.langneurons.tasks.ParallelQaTask headings;
            """;

    private static final String PACKAGE = "javadocexamples";

    /**
     * One example: the source file (relative to the source root), the line of its {@code {@code}}, its code, and the
     * package its generated class goes in.
     */
    record Example(String file, int line, String code, String packageName) {
        /** The source line of the example's {@code i}-th code line (0: the line of {@code {@code}}). */
        int sourceLine(int i) {
            return line + i;
        }

        String codeLine(int i) {
            String[] lines = code.split("\n", -1);
            return i >= 0 && i < lines.length ? lines[i].strip() : "";
        }
    }

    /** A problem with an example: where, and what javac (or the extraction) said. */
    record Failure(String file, int line, String message, String code) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message + (code.isEmpty() ? "" : "\n        " + code);
        }
    }

    @Test
    void everyJavadocExampleCompiles(@TempDir Path out) throws IOException {
        Path root = sourceRoot();
        List<Failure> extraction = new ArrayList<>();
        Map<String, List<Example>> examples = new TreeMap<>();
        for (Path file : javaFiles(root)) {
            String name = root.relativize(file).toString().replace(File.separatorChar, '/');
            List<Example> found = extract(name, Files.readString(file), extraction);
            if (!found.isEmpty()) {
                examples.put(name, found);
            }
        }
        int count = examples.values().stream().mapToInt(List::size).sum();
        assertTrue(count >= 20, "found only " + count + " examples under " + root + ": is the scan broken?");
        List<Failure> failures = new ArrayList<>(extraction);
        failures.addAll(compile(examples, packages(root), out));
        if (!failures.isEmpty()) {
            fail(failures.size() + " Javadoc example problem(s) (see JavadocExamplesTest's Javadoc for the"
                    + " conventions and the given variables):\n" + String.join("\n", failures.stream()
                            .map(Failure::toString).toList()));
        }
    }

    /** The test of the test: an example that does not compile is reported with its file, line and message. */
    @Test
    void aBrokenExampleIsReported(@TempDir Path out) {
        String source = """
                /**
                 * Fine, then broken.
                 *
                 * <pre>{@code
                 * Map<String, Integer> m = new HashMap<>();
                 * if (m.isEmpty()) { m.put("a", 1); }
                 * }</pre>
                 *
                 * <pre>{@code
                 * List<String> langs = texts;
                 * NeuronSet s = Lape.Settings.tang();
                 * }</pre>
                 *
                 * <pre>
                 * {"not": "java", "so": "plain pre"}
                 * </pre>
                 */
                class Sample {}
                """;
        List<Failure> extraction = new ArrayList<>();
        List<Example> examples = extract("x/Sample.java", source, extraction);
        assertEquals(List.of(), extraction);
        assertEquals(2, examples.size());
        assertEquals(4, examples.get(0).line());
        assertEquals("\nMap<String, Integer> m = new HashMap<>();\nif (m.isEmpty()) { m.put(\"a\", 1); }\n",
                examples.get(0).code());
        List<Failure> failures = compile(Map.of("x/Sample.java", examples), packages(sourceRoot()), out);
        assertEquals(1, failures.size(), failures.toString());
        Failure f = failures.get(0);
        assertEquals("x/Sample.java", f.file());
        assertEquals(11, f.line());
        assertTrue(f.message().contains("cannot find symbol"), f.message());
        assertEquals("NeuronSet s = Lape.Settings.tang();", f.code());
    }

    @Test
    void anUnclosedExampleIsReported() {
        List<Failure> extraction = new ArrayList<>();
        extract("x/Open.java", "/**\n * <pre>{@code\n * int a = 1; {\n * }</pre>\n */\nclass Open {}\n", extraction);
        assertEquals(1, extraction.size());
        assertEquals(2, extraction.get(0).line());
        assertFalse(extraction.get(0).message().isEmpty());
    }

    // ---- extraction ----

    /** The {@code src/main/java} folder, whether the test runs in {@code lib/} (Maven) or in the repository root. */
    static Path sourceRoot() {
        for (Path p : List.of(Path.of("src/main/java"), Path.of("lib/src/main/java"))) {
            if (Files.isDirectory(p.resolve("org/langneurons"))) {
                return p.toAbsolutePath();
            }
        }
        throw new IllegalStateException("no src/main/java/org/langneurons under " + Path.of("").toAbsolutePath());
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** The packages under {@code root} with at least one type (not just a package-info). */
    static List<String> packages(Path root) {
        TreeSet<String> out = new TreeSet<>();
        try {
            for (Path f : javaFiles(root)) {
                if (!f.getFileName().toString().equals("package-info.java")) {
                    out.add(root.relativize(f.getParent()).toString().replace(File.separatorChar, '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    /**
     * The {@code <pre>{@code ...}</pre>} blocks of the Javadoc comments of one source file. A block whose
     * {@code {@code} has no matching brace before the comment ends is added to {@code problems}.
     */
    static List<Example> extract(String file, String source, List<Failure> problems) {
        List<Example> out = new ArrayList<>();
        String packageName = packageOf(source);
        for (int[] comment : javadocComments(source)) {
            int start = comment[0];
            int firstLine = lineOf(source, start);
            // the comment's lines with their leading " * " removed; line i of text is source line firstLine + i
            String[] raw = source.substring(start + 3, comment[1]).split("\n", -1);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < raw.length; i++) {
                String l = raw[i];
                if (i > 0) {
                    String t = l.stripLeading();
                    if (t.startsWith("*")) {
                        t = t.substring(1);
                        l = t.startsWith(" ") ? t.substring(1) : t;
                    }
                }
                text.append(i > 0 ? "\n" : "").append(l);
            }
            String doc = text.toString();
            for (int at = doc.indexOf("<pre>"); at >= 0; at = doc.indexOf("<pre>", at + 1)) {
                int open = at + "<pre>".length();
                while (open < doc.length() && Character.isWhitespace(doc.charAt(open))) {
                    open++;
                }
                if (!doc.startsWith("{@code", open)) {
                    continue; // a plain <pre>: not Java, by convention
                }
                int line = firstLine + lineOf(doc, open) - 1;
                int body = open + "{@code".length();
                int depth = 1;
                int end = body;
                for (; end < doc.length() && depth > 0; end++) {
                    char c = doc.charAt(end);
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                }
                if (depth > 0) {
                    problems.add(new Failure(file, line, "{@code has no matching '}' before the comment ends"
                            + " (unbalanced braces in the example?)", ""));
                    continue;
                }
                // code line 0 is the rest of the {@code line, so code line i is source line `line + i`
                out.add(new Example(file, line, doc.substring(body, end - 1), packageName));
                at = end - 1;
            }
        }
        return out;
    }

    /**
     * The package of the generated class: its own for a file whose top-level type is public, so that an example of
     * the public API uses the public API only; the file's package for a package-private type (internal
     * documentation, whose examples may use what the package sees).
     */
    private static String packageOf(String source) {
        Matcher pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;").matcher(source);
        boolean isPublic = Pattern.compile("(?m)^public\\s+([a-z]+\\s+)*(class|interface|enum|record|@interface)"
                + "\\s").matcher(source).find();
        return isPublic || !pkg.find() ? PACKAGE : pkg.group(1);
    }

    /** Start (of {@code /**}) and end (of {@code *}{@code /}) offsets of every Javadoc comment, skipping literals. */
    private static List<int[]> javadocComments(String s) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                int e = s.indexOf('\n', i);
                i = e < 0 ? n : e + 1;
            } else if (s.startsWith("/*", i)) {
                int e = s.indexOf("*/", i + 2);
                e = e < 0 ? n : e;
                if (s.startsWith("/**", i) && !s.startsWith("/**/", i)) {
                    out.add(new int[] {i, e});
                }
                i = e + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                int e = i + 3;
                while (e < n && !s.startsWith("\"\"\"", e)) {
                    e += s.charAt(e) == '\\' ? 2 : 1;
                }
                i = e + 3;
            } else if (c == '"' || c == '\'') {
                int e = i + 1;
                while (e < n && s.charAt(e) != c && s.charAt(e) != '\n') {
                    e += s.charAt(e) == '\\' ? 2 : 1;
                }
                i = e + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    /** The 1-based line of offset {@code at}. */
    private static int lineOf(String s, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    // ---- compilation ----

    /** Compiles the examples (by source file), as a rule in one compiler call; the errors, mapped to the sources. */
    static List<Failure> compile(Map<String, List<Example>> examples, List<String> packages, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: run the tests on a JDK, not a JRE");
        List<JavaFileObject> units = new ArrayList<>();
        // per generated class: generated line -> (example, code line 0's generated line)
        Map<String, TreeMap<Integer, Example>> lineMaps = new TreeMap<>();
        StringBuilder imports = new StringBuilder();
        packages.forEach(p -> imports.append("import ").append(p).append(".*;\n"));
        IMPORTS.forEach(p -> imports.append("import ").append(p).append(";\n"));
        for (Map.Entry<String, List<Example>> e : examples.entrySet()) {
            String className = "Examples_" + e.getKey().replaceAll("\\.java$", "").replaceAll("[^A-Za-z0-9]", "_");
            String packageName = e.getValue().get(0).packageName();
            StringBuilder src = new StringBuilder("package " + packageName + ";\n").append(imports);
            src.append("@SuppressWarnings(\"all\")\nabstract class ").append(className).append(" {\n").append(GIVENS);
            TreeMap<Integer, Example> lines = new TreeMap<>();
            int index = 0;
            for (Example ex : e.getValue()) {
                src.append("    void example").append(index++).append("() throws Exception {");
                // code line 0 continues the method's opening line, so generated and source lines stay in step
                lines.put(lineOf(src.toString(), src.length()), ex);
                src.append(ex.code()).append("\n    }\n");
            }
            src.append("}\n");
            lineMaps.put(className, lines);
            String text = src.toString();
            units.add(new SimpleJavaFileObject(URI.create("string:///" + packageName.replace('.', '/') + "/"
                    + className + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            });
        }
        List<String> options = List.of("--release", "17", "-proc:none", "-implicit:none", "-nowarn",
                "-Xlint:none", "-Xmaxerrs", "100000", "-XDshould-stop.ifError=FLOW", "-classpath", classPath(),
                "-d", out.toString());
        // Usually one compiler call. javac's error recovery has bugs (17.0.15 throws a ClassCastException in
        // AttrRecover on a call with a lambda and the wrong number of arguments) and, once an error is reported,
        // swallows the exception and silently skips every class not yet analysed; so the classes are followed
        // one by one, and those left over are compiled again without the one that broke the compiler.
        Set<Failure> failures = new LinkedHashSet<>();
        Map<String, JavaFileObject> pending = new LinkedHashMap<>();
        units.forEach(u -> pending.put(simpleName(u), u));
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, UTF_8)) {
            while (!pending.isEmpty()) {
                Set<String> started = new HashSet<>();
                Set<String> analysed = new HashSet<>();
                DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
                JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics, options, null,
                        pending.values());
                task.addTaskListener(new TaskListener() {
                    @Override
                    public void started(TaskEvent e) {
                        if (e.getKind() == TaskEvent.Kind.ANALYZE) {
                            started.add(simpleName(e.getSourceFile()));
                        }
                    }

                    @Override
                    public void finished(TaskEvent e) {
                        if (e.getKind() == TaskEvent.Kind.ANALYZE) {
                            analysed.add(simpleName(e.getSourceFile()));
                        }
                    }
                });
                task.call();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String className = d.getSource() == null ? "" : simpleName(d.getSource());
                        failures.add(failure(lineMaps.get(className), className, (int) d.getLineNumber(),
                                d.getMessage(Locale.ROOT)));
                    }
                }
                pending.keySet().removeAll(analysed);
                Set<String> broken = new HashSet<>(started);
                broken.removeAll(analysed);
                if (broken.isEmpty() && !pending.isEmpty()) {
                    broken.addAll(pending.keySet()); // nothing more would be analysed: give up on the rest
                }
                for (String className : broken) {
                    if (pending.remove(className) != null) {
                        failures.add(failure(lineMaps.get(className), className, lineMaps.get(className).firstKey(),
                                "javac stopped with an internal error while compiling the examples of this file;"
                                        + " those after the errors reported for it were not checked"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Failure> sorted = new ArrayList<>(failures);
        sorted.sort(Comparator.comparing(Failure::file).thenComparingInt(Failure::line));
        return sorted;
    }

    /** A compiler message at {@code line} of generated class {@code className}, mapped back to its example. */
    private static Failure failure(TreeMap<Integer, Example> lines, String className, int line, String message) {
        message = message.replace("\n", " ").replaceAll("\\s+", " ")
                .replaceAll(" location: class [\\w.]+\\." + className, "");
        Map.Entry<Integer, Example> at = lines == null ? null : lines.floorEntry(line);
        if (at == null) {
            return new Failure("(generated " + className + ")", line, message, "");
        }
        // a message past the example's end (javac's "reached end of file") goes to its last line, the }</pre>
        int i = Math.min(line - at.getKey(), at.getValue().code().split("\n", -1).length - 1);
        return new Failure(at.getValue().file(), at.getValue().sourceLine(i), message, at.getValue().codeLine(i));
    }

    private static String simpleName(JavaFileObject file) {
        String path = file.toUri().getPath();
        return path.substring(path.lastIndexOf('/') + 1).replaceAll("\\.java$", "");
    }

    /**
     * The class path to compile against: Surefire's test class path when it runs the test (its own
     * {@code java.class.path} may be a manifest-only jar), else {@code java.class.path}.
     */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
